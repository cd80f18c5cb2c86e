using LsTranslate.Model.Transformer;
using TorchSharp;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.ModelFiles;

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
        return ReadConfigFile(ConfigFile);
    }

    /// <summary>A translation model's config.json wherever it is.</summary>
    public static ModelConfig ReadConfigFile(string file)
    {
        var config = ReadJson<ModelConfig>(file, "model config");
        if (config.Format != ModelConfig.CurrentFormat)
            throw InputError.At(file, 0, $"not an lstranslate model config (format '{config.Format}', expected '{ModelConfig.CurrentFormat}')");
        return config;
    }

    /// <summary>
    /// A run directory for weights trained elsewhere (PyTorch, or exported and edited): the config, the tokenizer's
    /// files, and the weights as both checkpoint.best and checkpoint.last (no optimizer state, step 0).
    /// </summary>
    public static ModelDirectory Import(string outDir, ModelConfig config, string tokenizerDir, string weights, bool overwrite, TextWriter log)
    {
        var tokenizerFiles = SubwordTokenizers.FilesIn(tokenizerDir);
        if (tokenizerFiles.Count == 0) throw InputError.At(tokenizerDir, 0, $"no tokenizer here (expected {string.Join(" or ", SubwordTokenizers.FileNames)})");
        RequireFit(SubwordTokenizers.Load(tokenizerDir), config.Model, tokenizerDir);
        using var model = new Seq2SeqTransformer(config.Model);
        IO.PortableWeights.Import(model, weights);
        return Create(outDir, config, tokenizerFiles, model, overwrite, log);
    }

    /// <summary>
    /// A run directory holding <paramref name="model"/>'s weights as checkpoint.best and checkpoint.last (no optimizer
    /// state, step 0), its config and copies of its tokenizer's files. Only what fits is written: an old model in the
    /// directory goes now, not before.
    /// </summary>
    public static ModelDirectory Create(string outDir, ModelConfig config, IEnumerable<string> tokenizerFiles, Seq2SeqTransformer model, bool overwrite, TextWriter log)
    {
        var dir = new ModelDirectory(outDir);
        if (dir.HasConfig && !overwrite)
            throw InputError.At(dir.ConfigFile, 0, "this directory already holds a model; --overwrite replaces it, or choose another --out");
        if (dir.Clear() > 0) log.WriteLine($"--overwrite: replacing the model in {dir.Path}");
        dir.CopyTokenizer(tokenizerFiles);
        dir.WriteConfig(config);
        var progress = new TrainingProgress();
        Checkpoint.Save(dir.BestCheckpoint, model, progress, optimizer: null);
        Checkpoint.Save(dir.LastCheckpoint, model, progress, optimizer: null);
        return dir;
    }

    /// <summary>Creates the directory and copies a tokenizer's files into it (<see cref="SubwordTokenizers.FilesIn"/>).</summary>
    public void CopyTokenizer(IEnumerable<string> files)
    {
        IO.AtomicFile.CreateDirectory(Path);
        foreach (var file in files) IO.AtomicFile.Copy(file, File(System.IO.Path.GetFileName(file)));
    }

    /// <summary>Refuses a tokenizer whose vocabularies are not the model's sizes.</summary>
    static void RequireFit(ISubwordTokenizer tokenizer, TransformerConfig model, string where)
    {
        if (tokenizer.VocabSize != model.VocabSize)
            throw InputError.At(where, 0, $"tokenizer has {tokenizer.VocabSize} tokens but the model expects {model.VocabSize}");
        if (tokenizer.SourceVocabSize != (model.SourceVocabSize ?? model.VocabSize))
            throw InputError.At(where, 0, $"tokenizer's source side has {tokenizer.SourceVocabSize} tokens but the model expects {model.SourceVocabSize ?? model.VocabSize}");
    }

    public void WriteConfig(ModelConfig config) => WriteJson(ConfigFile, config);

    /// <summary>
    /// The temperature `calibrate` fitted: calibration.json, or for models calibrated before it existed the one
    /// config.json kept; null before calibration.
    /// </summary>
    public double? FittedTemperature() => ReadCalibration()?.Temperature ?? ReadConfig().Temperature;

    /// <summary>A model ready for inference (<see cref="Seq2SeqTransformer.ForInference"/>) with its tokenizer; <paramref name="checkpoint"/> as <see cref="RunDirectory.CheckpointFile"/> reads it.</summary>
    public LoadedModel Load(string checkpoint = "best")
    {
        var config = ReadConfig();
        var file = CheckpointFile(checkpoint);
        var tokenizer = SubwordTokenizers.Load(Path);
        RequireFit(tokenizer, config.Model, Path);
        var model = new Seq2SeqTransformer(config.Model);
        Checkpoint.Load<TrainingProgress>(file, model);
        model.ForInference();
        return new LoadedModel(model, tokenizer, config, this);
    }

    /// <summary>The same, on the settings' device and in their precision (threads are the caller's: they are per process).</summary>
    public LoadedModel Load(string checkpoint, RunSettings settings)
    {
        var loaded = Load(checkpoint);
        loaded.Model.to(settings.TorchDevice);
        loaded.Model.Precision = settings.ResolvedPrecision;
        return loaded;
    }
}
