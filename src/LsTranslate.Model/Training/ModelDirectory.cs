using System.Text.Json;
using LsTranslate.Model.IO;
using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Training;

/// <summary>
/// The self-contained model directory: config.json, tokenizer files, checkpoint.best, checkpoint.last,
/// train-log.jsonl.
/// </summary>
public sealed class ModelDirectory(string path)
{
    public string Path { get; } = path;
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");
    public string BestCheckpoint => System.IO.Path.Combine(Path, "checkpoint.best");
    public string LastCheckpoint => System.IO.Path.Combine(Path, "checkpoint.last");
    public string TrainLog => System.IO.Path.Combine(Path, "train-log.jsonl");

    public string AveragedCheckpoint => System.IO.Path.Combine(Path, "checkpoint.avg");
    const string StepCheckpointPrefix = "checkpoint.step-";

    public bool HasConfig => File.Exists(ConfigFile);

    /// <summary>
    /// Deletes what training writes here (config, tokenizer, checkpoints, log, temp files of a killed write) and
    /// nothing else, so that a run can start over; returns how many files went.
    /// </summary>
    public int Clear()
    {
        if (!Directory.Exists(Path)) return 0;
        string[] named = [System.IO.Path.GetFileName(ConfigFile), System.IO.Path.GetFileName(TrainLog), .. SubwordTokenizers.FileNames];
        var ours = Directory.GetFiles(Path).Where(f =>
        {
            // A killed atomic write leaves NAME.tmp-PID: it belongs to whoever NAME belongs to.
            var name = System.IO.Path.GetFileName(f).Split(".tmp-")[0];
            return named.Contains(name) || name.StartsWith("checkpoint.", StringComparison.Ordinal);
        }).ToList();
        foreach (var file in ours) File.Delete(file);
        return ours.Count;
    }

    /// <summary>Weights-only checkpoints saved at validations, oldest first.</summary>
    public IReadOnlyList<string> StepCheckpoints() => Directory.Exists(Path)
        ? Directory.GetFiles(Path, StepCheckpointPrefix + "*").Where(f => !f.Contains(".tmp-")).Order(StringComparer.Ordinal).ToList()
        : [];

    public void SaveStepCheckpoint(nn.Module model, TrainingProgress progress, int keep)
    {
        if (keep <= 0) return;
        Checkpoint.Save(System.IO.Path.Combine(Path, $"{StepCheckpointPrefix}{progress.Step:D8}"), model, progress, optimizer: null);
        foreach (var old in StepCheckpoints().SkipLast(keep)) File.Delete(old);
    }

    public ModelConfig ReadConfig()
    {
        if (!Directory.Exists(Path)) throw InputError.At(Path, 0, "no such model directory");
        if (!HasConfig) throw InputError.At(Path, 0, "not a model directory (no config.json)");
        ModelConfig? config;
        try { config = Json.Deserialize<ModelConfig>(File.ReadAllText(ConfigFile)); }
        catch (JsonException e) { throw InputError.At(ConfigFile, e.LineNumber + 1 ?? 0, $"invalid model config: {e.Message}"); }
        if (config is null || config.Format != ModelConfig.CurrentFormat)
            throw InputError.At(ConfigFile, 0, $"not an lstranslate model config (format '{config?.Format}', expected '{ModelConfig.CurrentFormat}')");
        return config;
    }

    public void WriteConfig(ModelConfig config) =>
        AtomicFile.WriteAllText(ConfigFile, JsonSerializer.Serialize(config, Json.Options) + "\n");

    /// <summary>
    /// A model ready for inference (eval mode) with its tokenizer; "best" (lowest dev NLL), "last", "avg" or a file
    /// name. A missing best is an error, never a silent fallback to another checkpoint.
    /// </summary>
    public LoadedModel Load(string checkpoint = "best")
    {
        var config = ReadConfig();
        string file = checkpoint switch
        {
            "best" => File.Exists(BestCheckpoint) ? BestCheckpoint
                : throw InputError.At(BestCheckpoint, 0, File.Exists(LastCheckpoint)
                    ? "no such file: this run has not validated on dev data yet (best = lowest dev NLL); use --checkpoint last"
                    : "no such file: this directory holds no trained checkpoint"),
            "last" => LastCheckpoint,
            "avg" => AveragedCheckpoint,
            _ => System.IO.Path.Combine(Path, checkpoint),
        };
        var tokenizer = SubwordTokenizers.Load(Path);
        if (tokenizer.VocabSize != config.Model.VocabSize)
            throw InputError.At(Path, 0, $"tokenizer has {tokenizer.VocabSize} tokens but the model expects {config.Model.VocabSize}");
        var model = new Seq2SeqTransformer(config.Model);
        Checkpoint.Load<TrainingProgress>(file, model);
        model.eval();
        return new LoadedModel(model, tokenizer, config, this);
    }
}

public sealed record LoadedModel(Seq2SeqTransformer Model, ISubwordTokenizer Tokenizer, ModelConfig Config, ModelDirectory Directory) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
