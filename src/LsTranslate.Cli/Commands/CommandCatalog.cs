using System.CommandLine;

namespace LsTranslate.Cli.Commands;

/// <summary>Every subcommand of `lstranslate`, one file each in this folder.</summary>
static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        TrainCommand.Create(),
        AverageCommand.Create(),
        ExportCommand.Create(),
        ImportCommand.Create(),
        DecodeCommand.Create(),
        ScoreCommand.Create(),
        SacrebleuCommand.Create(),
        EvaluateCommand.Create(),
        CalibrateCommand.Create(),
        ServeCommand.Create(),
        VisionCommand.Create(),
        DistillCommand.TopLevelPointer(),
        ReproduceCommand.Create(),
        RanksCommand.Create(),
    ];
}
