using System.CommandLine;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model;
using LsTranslate.Model.Losses;
using LsTranslate.Vision;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>
/// `lstranslate vision distill`: trains a student image classifier on a trained teacher's soft targets,
/// (1−β)·H(y, p) + β·H(p_teacher(T), p(T)); prints the student's and the teacher's test scores and γ.
/// </summary>
static class DistillCommand
{
    /// <summary>
    /// The same command at the top level, where it lived before (it distils image classifiers only, so it belongs
    /// under `vision`): hidden from help, kept so that existing scripts keep working.
    /// </summary>
    public static Command TopLevelPointer()
    {
        var command = Create();
        command.Hidden = true;
        command.Description = "Same as `lstranslate vision distill` (its old name).";
        return command;
    }

    public static Command Create()
    {
        var teacher = new Option<string>("--teacher") { Description = "teacher model directory (written by `vision train`)", Required = true };
        var studentArch = new Option<string>("--student-arch") { Description = "resnet20, resnet56, resnet8 or alexnet", DefaultValueFactory = _ => "alexnet" };
        var temperature = new Option<double>("--temperature") { Description = "T: both networks' logits are divided by T in the soft term", DefaultValueFactory = _ => 1.0 };
        var beta = new Option<double>("--beta") { Description = "β in [0, 1]: weight of the teacher's soft targets (1 = soft targets only)", DefaultValueFactory = _ => 1.0 };
        var dataset = new Option<string?>("--dataset") { Description = "student data: fashion-mnist or mnist (default: the teacher's)" };
        var dataDir = VisionOptions.DataDir();
        dataDir.Description = "directory with the student's IDX files (default: the teacher's)";
        var epochs = new Option<int?>("--epochs") { Description = "default: the teacher's" };
        var batchSize = new Option<int?>("--batch-size") { Description = "default: the teacher's" };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd or adam (default: the teacher's)" };
        var lr = new Option<double?>("--lr") { Description = "learning rate (default: the optimizer's)" };
        var trainLimit = new Option<int?>("--train-limit") { Description = "train on only this many examples (0 = all; default: the teacher's)" };
        var testLimit = new Option<int?>("--test-limit") { Description = "measure on only the first this many test examples (default: the teacher's)" };
        var seed = new Option<long?>("--seed") { Description = "default: the teacher's (which also keeps its validation split)" };
        var settings = VisionOptions.Settings();
        var overwrite = VisionOptions.Overwrite();
        var output = new Option<string>("--out") { Description = "student model directory to write", Required = true };

        var command = new Command("distill", "Distil a trained image classifier (teacher) into a student trained on its temperature-softened outputs.");
        foreach (var option in new Option[] { teacher, studentArch, temperature, beta, dataset, dataDir, epochs, batchSize, optimizer, lr, trainLimit, testLimit, seed, overwrite, output })
            command.Options.Add(option);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            double t = parse.GetValue(temperature), b = parse.GetValue(beta);
            DistillationLoss.Validate(b, t);
            var runSettings = settings.Read(parse);
            var torchDevice = runSettings.TorchDevice;
            var teacherDir = parse.GetValue(teacher)!;
            var (teacherOptions, teacherModel) = new VisionModelDirectory(teacherDir).Load(torchDevice);
            using var teacherNet = teacherModel;
            var options = (teacherOptions with
            {
                Arch = parse.GetValue(studentArch)!, LabelSmoothing = 0,
                Dataset = parse.GetValue(dataset) ?? teacherOptions.Dataset, DataDir = parse.GetValue(dataDir) ?? teacherOptions.DataDir,
                Epochs = parse.GetValue(epochs) ?? teacherOptions.Epochs, BatchSize = parse.GetValue(batchSize) ?? teacherOptions.BatchSize,
                Optimizer = parse.GetValue(optimizer) ?? teacherOptions.Optimizer, LearningRate = parse.GetValue(lr),
                TrainLimit = parse.GetValue(trainLimit) ?? teacherOptions.TrainLimit, TestLimit = parse.GetValue(testLimit) ?? teacherOptions.TestLimit,
                Seed = parse.GetValue(seed) ?? teacherOptions.Seed,
            }).Validated();
            var outDir = parse.GetValue(output)!;
            using var data = VisionData.Load(options);
            using var student = ProgressDisplay.Run(parse.InvocationConfiguration.Error, (progress, log) =>
                VisionDistillation.Distill(teacherNet, teacherDir, options, data, b, t, outDir, runSettings, log, parse.GetValue(overwrite), progress));
            var record = new DistillationRecord(teacherDir, teacherOptions.Arch, teacherOptions.LabelSmoothing, t, b,
                VisionDistillation.Gamma(teacherNet, data.Train, t, torchDevice),
                TestScore.Measure(teacherNet, data, torchDevice), TestScore.Measure(student, data, torchDevice));
            record.WriteTo(new VisionModelDirectory(outDir));
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine($"student test {record.StudentTest}");
            stdout.WriteLine($"teacher test {record.TeacherTest}");
            stdout.WriteLine($"gamma {record.Gamma:0.0000} (teacher α = {record.TeacherLabelSmoothing}, T = {t}, β = {b})");
            return 0;
        });
        return command;
    }
}
