using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;

namespace LsTranslate.Model.Training;

/// <summary>
/// A translation model's run directory: config.json holds a <see cref="ModelConfig"/> (architecture, tokenizer,
/// recipe, data), the tokenizer's files sit beside it; the rest is <see cref="RunDirectory"/>'s.
/// </summary>
public sealed class ModelDirectory(string path) : RunDirectory(path)
{
    public override BestMetric BestBy => BestMetric.DevNll;

    protected override IEnumerable<string> ModelFiles => SubwordTokenizers.FileNames;

    public ModelConfig ReadConfig()
    {
        if (!Directory.Exists(Path)) throw InputError.At(Path, 0, "no such model directory");
        if (!HasConfig) throw InputError.At(Path, 0, "not a model directory (no config.json)");
        var config = ReadJson<ModelConfig>(ConfigFile, "model config");
        if (config.Format != ModelConfig.CurrentFormat)
            throw InputError.At(ConfigFile, 0, $"not an lstranslate model config (format '{config.Format}', expected '{ModelConfig.CurrentFormat}')");
        return config;
    }

    public void WriteConfig(ModelConfig config) => WriteJson(ConfigFile, config);

    /// <summary>
    /// The temperature `calibrate` fitted: calibration.json, or for models calibrated before it existed the one
    /// config.json kept; null before calibration.
    /// </summary>
    public double? FittedTemperature() => ReadCalibration()?.Temperature ?? ReadConfig().Temperature;

    /// <summary>A model ready for inference (eval mode) with its tokenizer; <paramref name="checkpoint"/> as <see cref="RunDirectory.CheckpointFile"/> reads it.</summary>
    public LoadedModel Load(string checkpoint = "best")
    {
        var config = ReadConfig();
        var file = CheckpointFile(checkpoint);
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
