using System.CommandLine;
using LsTranslate.Cli.Experiments;
using LsTranslate.Cli.Reports;
using LsTranslate.Model;
using LsTranslate.Vision;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate vision train`: trains one classifier and prints its test accuracy, NLL, ECE and fitted T.</summary>
static class VisionTrainCommand
{
    public static Command Create()
    {
        var defaults = new VisionTrainOptions();
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist or mnist", DefaultValueFactory = _ => defaults.Dataset };
        var dataDir = VisionOptions.DataDir();
        var arch = new Option<string>("--arch") { Description = "resnet20, resnet56, resnet8 or alexnet", DefaultValueFactory = _ => defaults.Arch };
        var smoothing = new Option<double>("--label-smoothing") { Description = "α: targets y(1−α) + α/K", DefaultValueFactory = _ => defaults.LabelSmoothing };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => defaults.BatchSize };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd (Nesterov, step decay) or adam", DefaultValueFactory = _ => defaults.Optimizer };
        var lr = new Option<double?>("--lr") { Description = "learning rate (default 0.1 for sgd, 0.001 for adam)" };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => defaults.WeightDecay };
        var validation = new Option<int>("--validation") { Description = "training examples held out for validation and temperature fitting", DefaultValueFactory = _ => defaults.Validation };
        var trainLimit = new Option<int>("--train-limit") { Description = "train on only this many examples (0 = all)", DefaultValueFactory = _ => defaults.TrainLimit };
        var testLimit = new Option<int>("--test-limit") { Description = "measure on only the first this many test examples (0 = all)", DefaultValueFactory = _ => defaults.TestLimit };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var settings = VisionOptions.Settings();
        var overwrite = VisionOptions.Overwrite();
        var output = new Option<string>("--out") { Description = "model directory to write", Required = true };

        var command = new Command("train", "Train an image classifier with label smoothing; writes config.json, checkpoints and train-log.jsonl. Rerun into the same --out to resume a killed run.");
        foreach (var option in new Option[] { dataset, dataDir, arch, smoothing, epochs, batchSize, optimizer, lr, weightDecay, validation, trainLimit, testLimit, seed, overwrite, output })
            command.Options.Add(option);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new VisionTrainOptions
            {
                Dataset = parse.GetValue(dataset)!, DataDir = parse.GetValue(dataDir), Arch = parse.GetValue(arch)!,
                LabelSmoothing = parse.GetValue(smoothing), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize),
                Optimizer = parse.GetValue(optimizer)!, LearningRate = parse.GetValue(lr), WeightDecay = parse.GetValue(weightDecay),
                Validation = parse.GetValue(validation), TrainLimit = parse.GetValue(trainLimit), TestLimit = parse.GetValue(testLimit), Seed = parse.GetValue(seed),
            }.Validated();
            var runSettings = settings.Read(parse);
            var torchDevice = runSettings.TorchDevice;
            var outDir = parse.GetValue(output)!;
            using var data = VisionData.Load(options);
            using var model = ProgressDisplay.Run(parse.InvocationConfiguration.Error, (progress, log) =>
                VisionTrainer.Run(new VisionTrainRequest(options, data, outDir, runSettings, Overwrite: parse.GetValue(overwrite)), log, progress));
            var summary = VisionEvaluation.Measure(model, data, torchDevice);
            Plots.Reliability(Path.Combine(outDir, "reliability.png"), $"{options.Arch}, α = {options.LabelSmoothing}", summary.Bins, summary.Ece);
            ReportFiles.WriteJson(Path.Combine(outDir, "test-metrics.json"), summary);
            parse.InvocationConfiguration.Output.WriteLine(
                $"test accuracy {summary.Accuracy:0.0000}  nll {summary.Nll:0.0000}  ece {summary.Ece:0.0000}  " +
                $"T {summary.Temperature:0.000}  ece after T {summary.ScaledEce:0.0000}");
            return 0;
        });
        return command;
    }
}
