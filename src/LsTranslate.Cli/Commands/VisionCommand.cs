using System.CommandLine;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate vision`: image classification with label smoothing (the paper's vision experiments).</summary>
static class VisionCommand
{
    public static Command Create()
    {
        var command = new Command("vision", "Image classification with label smoothing: train, measure calibration, project penultimate layers, distil.");
        command.Subcommands.Add(VisionTrainCommand.Create());
        command.Subcommands.Add(VisionProjectCommand.Create());
        command.Subcommands.Add(DistillCommand.Create());
        return command;
    }
}
