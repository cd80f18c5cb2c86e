using System.CommandLine;
using LsTranslate.Model.Training;
using LsTranslate.Cli.Arguments;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate import`: a run directory from weights trained or edited elsewhere, a config.json and a tokenizer.</summary>
static class ImportCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "safetensors or PyTorch state_dict file, with this architecture's parameter names (see `export --list`)", Required = true };
        var config = new Option<string>("--config") { Description = "config.json describing the architecture and tokenizer (a run directory's)", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Folder with the tokenizer's files (vocab.json + merges.txt, or sentencepiece.model)", Required = true };
        var output = new Option<string>("--out") { Description = "Run directory to create", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a model already in --out" };
        var command = new Command("import", "Build a run directory from external weights: they become checkpoint.best and checkpoint.last.")
        {
            weights, config, tokenizer, output, overwrite, LibtorchOption.Create(), ImportMarianCommand.Create(),
        };
        command.SetAction(parsed =>
        {
            var dir = ModelDirectory.Import(parsed.GetValue(output)!, ModelDirectory.ReadConfigFile(parsed.GetValue(config)!), parsed.GetValue(tokenizer)!,
                parsed.GetValue(weights)!, parsed.GetValue(overwrite), parsed.InvocationConfiguration.Error);
            parsed.InvocationConfiguration.Error.WriteLine($"imported {parsed.GetValue(weights)} into {dir.Path} (checkpoint.best = checkpoint.last)");
            return 0;
        });
        return command;
    }
}
