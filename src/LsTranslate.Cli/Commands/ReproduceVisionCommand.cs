using System.CommandLine;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate reproduce vision`: Tables 2–3 and Figure 1 of the paper on Fashion-MNIST.</summary>
static class ReproduceVisionCommand
{
    public static Command Create()
    {
        var scale = new Option<string>("--scale") { Description = "smoke (minutes), quick, or paper", DefaultValueFactory = _ => "quick" };
        var classes = VisionOptions.Classes();
        var settings = VisionOptions.Settings();
        var dataDir = VisionOptions.DataDir();
        var output = new Option<string>("--out") { Description = "report directory", Required = true };

        var command = new Command("vision", "Train with and without label smoothing on Fashion-MNIST; report accuracy, calibration and projections.");
        foreach (var option in new Option[] { scale, classes, dataDir, output }) command.Options.Add(option);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = VisionScale.Named(parse.GetValue(scale)!);
            var runSettings = settings.Read(parse);
            var torchDevice = runSettings.TorchDevice;
            var outDir = parse.GetValue(output)!;
            var result = ProgressDisplay.Run(parse.InvocationConfiguration.Error, (progress, log) =>
                VisionReproduction.Run(chosen, parse.GetValue(dataDir), VisionOptions.ParseClasses(parse.GetValue(classes)!), runSettings, outDir, log, progress));
            var stdout = parse.InvocationConfiguration.Output;
            Claims.Print(stdout, result.Claims);
            stdout.WriteLine($"report: {Path.Combine(outDir, "report.md")}");
            return 0;
        });
        return command;
    }
}
