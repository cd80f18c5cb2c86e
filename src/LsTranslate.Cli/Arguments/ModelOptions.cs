using System.CommandLine;
using LsTranslate.Model.Training;
using TorchSharp;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Arguments;

/// <summary>The options every command that loads a trained model shares: which model, which checkpoint, where to run.</summary>
sealed class ModelOptions
{
    /// <param name="defaultPrecision">fp32 for evaluate and calibrate, so the printed numbers do not depend on it; null: RunSettings' default (auto), as decoding, where bf16 measured 1.5× faster with the same BLEU.</param>
    /// <param name="ensemble">whether the command combines several models (decode); elsewhere a second --model is refused, not ignored.</param>
    public ModelOptions(string? defaultPrecision, bool ensemble = false)
    {
        Models = new("--model", "-m")
        {
            Description = ensemble ? "Model directory (repeat for an ensemble)" : "Model directory", Required = true, AllowMultipleArgumentsPerToken = false,
        };
        if (!ensemble)
            Models.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string[]>() is { Length: > 1 })
                    result.AddError("--model: this command uses one model (only decode ensembles several)");
            });
        Settings = new RunSettingsOptions("Matrix products in fp32 or bf16", defaultPrecision);
    }

    public Option<string[]> Models { get; }
    public Option<string> Checkpoint { get; } = CheckpointOption();

    /// <summary>`--checkpoint best|last|avg|step-N`, for every command that reads a trained model.</summary>
    public static Option<string> CheckpointOption()
    {
        var option = new Option<string>("--checkpoint")
        {
            Description = "Which checkpoint: best (lowest dev NLL), last, avg, or step-N (one kept by --keep-last)", DefaultValueFactory = _ => "best",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !System.Text.RegularExpressions.Regex.IsMatch(value, "^(best|last|avg|step-[0-9]+)$"))
                result.AddError($"--checkpoint: unknown value '{value}' (expected best, last, avg or step-N)");
        });
        return option;
    }
    public RunSettingsOptions Settings { get; }

    public IEnumerable<Option> All => [Models, Checkpoint, .. Settings.All];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>Sets threads and device, then loads every model (eval mode) on it.</summary>
    public (IReadOnlyList<LoadedModel> Models, torch.Device Device) Load(ParseResult parsed)
    {
        var settings = Settings.Read(parsed);
        var models = parsed.GetValue(Models)!.Select(path => new ModelDirectory(path).Load(parsed.GetValue(Checkpoint)!, settings)).ToList();
        LoadedModel.RequireSharedVocabulary(models);
        return (models, settings.TorchDevice);
    }
}
