using System.CommandLine;
using LsTranslate.Cli.Reports;
using LsTranslate.Model;
using LsTranslate.Vision;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate vision project`: the paper's Figure 1 for a trained model.</summary>
static class VisionProjectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model directory written by `vision train`", Required = true };
        var classes = VisionOptions.Classes();
        var perClass = new Option<int>("--per-class") { Description = "examples per class and split", DefaultValueFactory = _ => 100 };
        var device = RunSettingsOptions.DeviceOption();
        var dataDir = VisionOptions.DataDir();
        var output = new Option<string>("--out") { Description = "directory for the PNGs", Required = true };

        var command = new Command("project", "Project penultimate activations of three classes onto the plane of their templates (PNG per split).");
        foreach (var option in new Option[] { model, classes, perClass, device, dataDir, output, LibtorchOption.Create() }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var torchDevice = Devices.Parse(parse.GetValue(device)!);
            var directory = new VisionModelDirectory(parse.GetValue(model)!);
            var (options, classifier) = directory.Load(torchDevice);
            if (parse.GetValue(dataDir) is { } overrideDir) options = options with { DataDir = overrideDir };
            using (classifier)
            using (var data = VisionData.Load(options))
            {
                var name = $"projection-{Path.GetFileName(Path.TrimEndingDirectorySeparator(directory.Path))}";
                var results = ProjectionFigure.Draw(classifier, data, VisionOptions.ParseClasses(parse.GetValue(classes)!), parse.GetValue(perClass),
                    torchDevice, parse.GetValue(output)!, name, $"{options.Arch}, α = {options.LabelSmoothing}");
                foreach (var r in results)
                    parse.InvocationConfiguration.Output.WriteLine($"{r.Split}: tightness {r.Tightness:0.0000}  {r.Png}");
            }
            return 0;
        });
        return command;
    }
}
