using System.Text;
using System.Text.Json;
using LsTranslate.Model.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Runs;

/// <summary>
/// One checkpoint file: a magic tag, the training progress as JSON, the weights and (for resuming)
/// the optimizer state. Written atomically, so a kill -9 leaves the previous checkpoint intact.
/// The progress record is the training loop's own (translation's TrainingProgress, vision's epochs).
/// </summary>
public static class Checkpoint
{
    const string Magic = "LSTRANSLATE-CHECKPOINT-1";

    public static void Save<TProgress>(string path, nn.Module model, TProgress progress, optim.Optimizer? optimizer)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(progress, Json.Line));
            writer.Write(optimizer is not null);
            model.save(writer);
            if (optimizer is not null) ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        });
    }

    /// <summary>The progress record alone, without reading the weights.</summary>
    public static TProgress ReadProgress<TProgress>(string path)
    {
        if (!File.Exists(path)) throw InputError.At(path, 0, "no such checkpoint");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadHeader<TProgress>(reader, path);
    }

    /// <summary>Checks the tag and reads the progress record; the reader is left at the weights.</summary>
    static TProgress ReadHeader<TProgress>(BinaryReader reader, string path)
    {
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { magic = ""; }
        if (magic != Magic) throw InputError.At(path, 0, $"not an lstranslate checkpoint ({Size(path)}; it should start with {Magic})");
        try
        {
            return Json.Deserialize<TProgress>(reader.ReadString()) ?? throw InputError.At(path, 0, "checkpoint has no progress record");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw Truncated(path, "its progress record");
        }
    }

    /// <summary>
    /// Loads weights into <paramref name="model"/> (and optimizer state when given and present). A file that ends
    /// early is reported as truncated, one of another architecture with the tensors that differ.
    /// </summary>
    public static TProgress Load<TProgress>(string path, nn.Module model, optim.Optimizer? optimizer = null)
    {
        if (!File.Exists(path)) throw InputError.At(path, 0, "no such checkpoint");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var progress = ReadHeader<TProgress>(reader, path);
        bool hasOptimizer;
        long weights;
        IReadOnlyList<StoredTensor> table;
        try
        {
            hasOptimizer = reader.ReadBoolean();
            weights = stream.Position;
            table = WeightsTable.ReadTable(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Truncated(path, $"its weights ({e.Message})");
        }
        WeightsTable.RequireFit(path, table, model, "checkpoint");
        stream.Position = weights;
        try
        {
            model.load(reader, strict: true);
            if (optimizer is not null && hasOptimizer) ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            throw Truncated(path, optimizer is not null && hasOptimizer ? "its weights or optimizer state" : "its weights");
        }
        return progress;
    }

    static string Size(string path) => $"{new FileInfo(path).Length:N0} bytes";

    static InputError Truncated(string path, string where) =>
        InputError.At(path, 0, $"truncated or corrupt checkpoint ({Size(path)}): the file ends inside {where}");
}
