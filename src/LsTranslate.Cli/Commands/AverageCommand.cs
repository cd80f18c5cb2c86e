using System.CommandLine;
using LsTranslate.Model.Training;
using LsTranslate.Cli.Arguments;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate average`: writes checkpoint.avg, the mean of the last N step checkpoints.</summary>
static class AverageCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory", Required = true };
        var last = new Option<int>("--last") { Description = "How many of the newest step checkpoints to average", DefaultValueFactory = _ => 5 };
        var command = new Command("average", "Average the last N checkpoints of a model into checkpoint.avg (decode with --checkpoint avg).") { model, last, LibtorchOption.Create() };
        command.SetAction(parsed =>
        {
            var (output, inputs) = CheckpointAveraging.AverageLast(new ModelDirectory(parsed.GetValue(model)!), parsed.GetValue(last));
            parsed.InvocationConfiguration.Error.WriteLine($"averaged {inputs.Count} checkpoints ({string.Join(", ", inputs.Select(Path.GetFileName))}) into {output}");
            return 0;
        });
        return command;
    }
}
