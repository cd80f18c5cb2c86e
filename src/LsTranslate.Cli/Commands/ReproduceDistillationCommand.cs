using System.CommandLine;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate reproduce distillation`: Figures 6 and 7 of the paper on Fashion-MNIST.</summary>
static class ReproduceDistillationCommand
{
    public static Command Create()
    {
        var scale = new Option<string>("--scale") { Description = "smoke (minutes), quick (under an hour on two cores), or paper", DefaultValueFactory = _ => "quick" };
        var settings = VisionOptions.Settings();
        var dataDir = VisionOptions.DataDir();
        var output = new Option<string>("--out") { Description = "report directory", Required = true };

        var command = new Command("distillation",
            "Teachers with and without label smoothing, students distilled from them at several temperatures, and the mutual-information curve; report.");
        foreach (var option in new Option[] { scale, dataDir, output }) command.Options.Add(option);
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = DistillationScale.Named(parse.GetValue(scale)!);
            var runSettings = settings.Read(parse);
            var torchDevice = runSettings.TorchDevice;
            var outDir = parse.GetValue(output)!;
            var result = ProgressDisplay.Run(parse.InvocationConfiguration.Error, (progress, log) =>
                DistillationReproduction.Run(chosen, parse.GetValue(dataDir), runSettings, outDir, log, progress));
            var stdout = parse.InvocationConfiguration.Output;
            Claims.Print(stdout, result.Claims);
            stdout.WriteLine($"report: {Path.Combine(outDir, "report.md")}");
            return 0;
        });
        return command;
    }
}
