using System.CommandLine;
using LsTranslate.Model.Marian;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate import marian DIR --out MODEL`: a Hugging Face MarianMT (OPUS-MT) directory as one of our models.</summary>
static class ImportMarianCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "A Hugging Face MarianMT directory: config.json, model.safetensors or pytorch_model.bin, source.spm, target.spm, vocab.json" };
        var output = new Option<string>("--out") { Description = "Model directory to create", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a model already in --out" };
        var command = new Command("marian", "Import a Hugging Face MarianMT model (an OPUS-MT checkpoint): it decodes as transformers' generate does, by default")
        {
            dir, output, overwrite, LibtorchOption.Create(),
        };
        command.SetAction(parsed =>
        {
            var imported = MarianImport.Run(parsed.GetValue(dir)!, parsed.GetValue(output)!, parsed.GetValue(overwrite), parsed.InvocationConfiguration.Error);
            var config = imported.ReadConfig();
            var model = config.Model;
            parsed.InvocationConfiguration.Error.WriteLine(
                $"imported {parsed.GetValue(dir)} into {imported.Path}: {model.EncoderLayers}+{model.DecoderLayers} layers, d {model.ModelDim}, " +
                $"{model.Activation.ToString().ToLowerInvariant()}, vocabulary {model.SourceVocabSize?.ToString() ?? "shared"}/{model.VocabSize}; " +
                $"decodes with beam {config.Generation!.Beam}, length penalty {config.Generation.LengthPenalty}, max_length {config.Generation.MaxLength}");
            return 0;
        });
        return command;
    }
}
