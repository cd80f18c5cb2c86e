using System.CommandLine;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate reproduce`: the paper's experiments, one subcommand each.</summary>
static class ReproduceCommand
{
    /// <summary>Add an experiment here: one line per subcommand.</summary>
    static IEnumerable<Command> Experiments() =>
    [
        ReproduceTranslationCommand.Create(),
        ReproduceVisionCommand.Create(),
        ReproduceDistillationCommand.Create(),
    ];

    public static Command Create()
    {
        var command = new Command("reproduce", "Reproduce the findings of \"When Does Label Smoothing Help?\" and write a report.");
        foreach (var experiment in Experiments()) command.Subcommands.Add(experiment);
        return command;
    }
}
