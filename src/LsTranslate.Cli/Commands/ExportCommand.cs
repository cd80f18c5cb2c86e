using System.CommandLine;
using LsTranslate.Model.IO;
using LsTranslate.Model.Training;
using LsTranslate.Cli.Arguments;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate export`: a model's fp32 weights as safetensors or a PyTorch state_dict, for tools outside .NET.</summary>
static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model directory", Required = true };
        var checkpoint = ModelOptions.CheckpointOption();
        var format = OptionParsers.OneOf("--format", "safetensors (Hugging Face) or pytorch (torch.load of a state_dict)", "safetensors", [.. PortableWeights.Formats]);
        var output = new Option<string?>("--out", "-o") { Description = "File to write" };
        var list = new Option<bool>("--list") { Description = "Print each parameter's name and shape (the names the file uses) instead of writing" };
        var command = new Command("export", "Write a model's fp32 weights for PyTorch or safetensors readers; config.json and the tokenizer stay in the model directory.")
        {
            model, checkpoint, format, output, list, LibtorchOption.Create(),
        };
        command.SetAction(parsed =>
        {
            using var loaded = new ModelDirectory(parsed.GetValue(model)!).Load(parsed.GetValue(checkpoint)!);
            var parameters = loaded.Model.state_dict();
            if (parsed.GetValue(list))
            {
                foreach (var (name, tensor) in parameters)
                    parsed.InvocationConfiguration.Output.WriteLine($"{name}\t[{string.Join(",", tensor.shape)}]");
                return 0;
            }
            string file = parsed.GetValue(output) ?? throw new InputError("--out: give the file to write (or --list)");
            PortableWeights.Export(loaded.Model, parsed.GetValue(format)!, file);
            parsed.InvocationConfiguration.Error.WriteLine(
                $"wrote {parameters.Count} tensors ({parameters.Values.Sum(t => t.numel()):N0} values, fp32) to {file} ({parsed.GetValue(format)})");
            return 0;
        });
        return command;
    }
}
