using LsTranslate.Model.IO;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Vision;

/// <summary>
/// A self-contained vision model directory: config.json (the training options), checkpoint.best (TorchSharp
/// weights), checkpoint.last (weights, optimizer and progress, for resuming) and train-log.jsonl (one JSON object per epoch). Every write goes
/// to a temporary file first and is renamed into place, so a killed run never leaves a broken file.
/// </summary>
public sealed class VisionModelDirectory
{
    public const string ConfigFile = "config.json";
    public const string BestCheckpoint = "checkpoint.best";
    public const string LastCheckpoint = "checkpoint.last";
    public const string LogFile = "train-log.jsonl";

    /// <summary>Channels, height and width of the images a stored model takes: every dataset config.json can name is 1×28×28.</summary>
    public static IReadOnlyList<long> ImageShape => [1, 28, 28];

    public VisionModelDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// A new model directory, or the one an earlier run with the same options left: a finished run is reused and
    /// an unfinished one resumes from checkpoint.last. A directory holding a model trained with other options is refused
    /// (the differing fields named); <paramref name="overwrite"/> starts it over instead.
    /// </summary>
    public static VisionModelDirectory Open(string path, VisionTrainOptions options, bool overwrite = false)
    {
        var directory = new VisionModelDirectory(path);
        var config = directory.File(ConfigFile);
        if (!overwrite && System.IO.File.Exists(directory.File(LastCheckpoint)))
        {
            var differing = JsonDifferences.Fields(directory.ReadOptions(), options);
            if (differing.Count > 0)
                throw InputError.At(config, 0, $"holds a model trained with other options ({string.Join(", ", differing)}); " +
                                               "rerun with those to continue it, --overwrite to start over, or choose another --out");
            return directory;
        }
        Directory.CreateDirectory(path);
        foreach (var checkpoint in new[] { BestCheckpoint, LastCheckpoint }) System.IO.File.Delete(directory.File(checkpoint));
        AtomicFile.WriteAllText(config, JsonSerializer.Serialize(options, Json.Options));
        System.IO.File.Delete(directory.File(LogFile));
        return directory;
    }

    /// <summary>Epochs checkpoint.last has finished (0 when training has not finished one).</summary>
    public int EpochsDone()
    {
        var last = File(LastCheckpoint);
        return System.IO.File.Exists(last) ? Training.Checkpoint.ReadProgress<VisionProgress>(last).Epochs : 0;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public VisionTrainOptions ReadOptions()
    {
        var path = File(ConfigFile);
        if (!Directory.Exists(Path)) throw new InputError($"{Path}: model directory not found");
        if (!System.IO.File.Exists(path)) throw InputError.At(path, 0, "no such file: not a vision model directory (train one with `lstranslate vision train`)");
        try
        {
            return (Json.Deserialize<VisionTrainOptions>(System.IO.File.ReadAllText(path))
                ?? throw InputError.At(path, 0, "empty configuration")).Validated();
        }
        catch (JsonException e)
        {
            throw InputError.At(path, e.LineNumber + 1 ?? 0, $"invalid JSON: {e.Message}");
        }
    }

    /// <summary>Writes a checkpoint in <see cref="Training.Checkpoint"/>'s format: progress, weights and, for resuming, the optimizer state.</summary>
    public void SaveCheckpoint(string name, ImageClassifier model, VisionProgress progress, optim.Optimizer? optimizer = null) =>
        Training.Checkpoint.Save(File(name), model, progress, optimizer);

    /// <summary>Rebuilds the network from config.json and loads the named checkpoint onto the device.</summary>
    public (VisionTrainOptions Options, ImageClassifier Model) Load(Device device, string checkpoint = BestCheckpoint)
    {
        var options = ReadOptions();
        var info = ImageDatasets.Info(options.Dataset);
        var model = Architectures.Create(options.Arch, (int)ImageShape[0], info.Classes, (int)ImageShape[1], (int)ImageShape[2]);
        var path = File(checkpoint);
        if (!System.IO.File.Exists(path)) throw InputError.At(path, 0, "no such file: training has not saved this checkpoint");
        Training.Checkpoint.Load<VisionProgress>(path, model);
        model.to(device);
        model.eval();
        return (options, model);
    }

    /// <summary>Drops log lines past the first <paramref name="epochs"/>: epochs a killed run logged but did not checkpoint.</summary>
    public void KeepLog(int epochs)
    {
        var path = File(LogFile);
        if (!System.IO.File.Exists(path)) return;
        var lines = System.IO.File.ReadLines(path).Take(epochs).ToList();
        AtomicFile.WriteAllText(path, string.Concat(lines.Select(line => line + "\n")));
    }

    /// <summary>The epochs logged so far (empty before the first).</summary>
    public IReadOnlyList<VisionEpochLog> ReadLog()
    {
        var path = File(LogFile);
        return System.IO.File.Exists(path)
            ? System.IO.File.ReadLines(path).Select(line => Json.Deserialize<VisionEpochLog>(line)!).ToList()
            : [];
    }

    public void AppendLog<T>(T entry) =>
        System.IO.File.AppendAllText(File(LogFile), JsonSerializer.Serialize(entry, Json.Line) + "\n");
}
