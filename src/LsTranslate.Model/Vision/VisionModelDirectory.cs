using LsTranslate.Model.IO;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Vision;

/// <summary>
/// A self-contained vision model directory: config.json (the training options), checkpoint.best and
/// checkpoint.last (TorchSharp weights) and train-log.jsonl (one JSON object per epoch). Every write goes
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

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    static readonly JsonSerializerOptions JsonLine = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public VisionModelDirectory(string path) => Path = path;

    public string Path { get; }

    public static VisionModelDirectory Create(string path, VisionTrainOptions options)
    {
        Directory.CreateDirectory(path);
        var directory = new VisionModelDirectory(path);
        AtomicFile.WriteAllText(directory.File(ConfigFile), JsonSerializer.Serialize(options, Json));
        System.IO.File.Delete(directory.File(LogFile));
        return directory;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public VisionTrainOptions ReadOptions()
    {
        var path = File(ConfigFile);
        if (!Directory.Exists(Path)) throw new InputError($"{Path}: model directory not found");
        if (!System.IO.File.Exists(path)) throw InputError.At(path, 0, "no such file: not a vision model directory (train one with `lstranslate vision train`)");
        try
        {
            return (JsonSerializer.Deserialize<VisionTrainOptions>(System.IO.File.ReadAllText(path), Json)
                ?? throw InputError.At(path, 0, "empty configuration")).Validated();
        }
        catch (JsonException e)
        {
            throw InputError.At(path, e.LineNumber + 1 ?? 0, $"invalid JSON: {e.Message}");
        }
    }

    public void SaveCheckpoint(ImageClassifier model, string name) =>
        AtomicFile.Write(File(name), stream =>
        {
            // module.save(Stream) closes the stream; a writer that leaves it open lets AtomicFile flush it.
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });

    /// <summary>Rebuilds the network from config.json and loads the named checkpoint onto the device.</summary>
    public (VisionTrainOptions Options, ImageClassifier Model) Load(Device device, string checkpoint = BestCheckpoint)
    {
        var options = ReadOptions();
        var info = ImageDatasets.Info(options.Dataset);
        var model = Architectures.Create(options.Arch, (int)ImageShape[0], info.Classes, (int)ImageShape[1], (int)ImageShape[2]);
        var path = File(checkpoint);
        if (!System.IO.File.Exists(path)) throw InputError.At(path, 0, "no such file: training has not saved this checkpoint");
        model.load(path);
        model.to(device);
        model.eval();
        return (options, model);
    }

    public void AppendLog<T>(T entry) =>
        System.IO.File.AppendAllText(File(LogFile), JsonSerializer.Serialize(entry, JsonLine) + "\n");
}
