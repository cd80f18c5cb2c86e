using System.CommandLine;

namespace LsTranslate.Cli.Commands;

/// <summary>Every subcommand of `lstranslate`, each in a file of its own in this folder (their shared options are in Arguments/).</summary>
static class CommandCatalog
{
    /// <summary>Each subcommand's name with how to make it, in the order --help lists them.</summary>
    static readonly (string Name, Func<Command> Create)[] Entries =
    [
        ("train", TrainCommand.Create),
        ("average", AverageCommand.Create),
        ("export", ExportCommand.Create),
        ("import", ImportCommand.Create),
        ("decode", DecodeCommand.Create),
        ("score", ScoreCommand.Create),
        ("sacrebleu", SacrebleuCommand.Create),
        ("evaluate", EvaluateCommand.Create),
        ("calibrate", CalibrateCommand.Create),
        ("serve", ServeCommand.Create),
        ("vision", VisionCommand.Create),
        ("distill", DistillCommand.TopLevelPointer),
        ("reproduce", ReproduceCommand.Create),
        ("ranks", RanksCommand.Create),
        ("train-job", TrainJobCommand.Create),
    ];

    public static IEnumerable<Command> All() => Entries.Select(e => e.Create());

    /// <summary>
    /// Only the command <paramref name="name"/> names where there is one: a short command such as `score` then does not
    /// build the other thirteen (a tenth of a second of its run); anything else (help, a typo) gets them all.
    /// </summary>
    public static IEnumerable<Command> For(string? name) =>
        Entries.Where(e => e.Name == name).Select(e => e.Create()).ToList() is { Count: 1 } one ? one : All();
}
