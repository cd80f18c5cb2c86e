using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LsTranslate.Model.IO;

/// <summary>
/// A network's fp32 weights in the formats other tools read, through TorchSharp.PyBridge: safetensors (Hugging Face's
/// header + raw tensors) and PyTorch's torch.save of a state_dict (torch.load reads it). Names are the network's own
/// state_dict names (`lstranslate export --list` prints them with their shapes).
/// </summary>
public static class PortableWeights
{
    public static readonly IReadOnlyList<string> Formats = ["safetensors", "pytorch"];

    /// <summary>Writes the weights, whole file or nothing (<see cref="AtomicFile.Write"/>).</summary>
    public static void Export(nn.Module model, string format, string path)
    {
        if (!Formats.Contains(format)) throw new InputError($"--format: unknown format '{format}' (use {string.Join(", ", Formats)})");
        AtomicFile.Write(path, stream =>
        {
            if (format == "safetensors") model.save_safetensors(stream, leaveOpen: true);
            else model.save_py(stream, leaveOpen: true);
        });
    }

    /// <summary>Loads weights written by <see cref="Export"/> or by PyTorch (either format, told apart by the file's first bytes), strictly: every name and shape must fit.</summary>
    public static void Import(nn.Module model, string path)
    {
        if (!File.Exists(path)) throw InputError.At(path, 0, "no such file");
        string format = FormatOf(path);
        if (format == "safetensors") WeightsTable.RequireFit(path, SafetensorsTable(path), model, "weights");
        try
        {
            using (no_grad())
            {
                if (format == "pytorch") model.load_py(path, strict: true);
                else model.load_safetensors(path, strict: true);
            }
        }
        catch (Exception e) when (e is not InputError)
        {
            // libtorch appends its C++ stack to the message: the first line is the reason.
            throw InputError.At(path, 0, $"cannot load these {format} weights into this model ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    /// <summary>Names and shapes from a safetensors header (8-byte little-endian length, then JSON), without reading the tensors.</summary>
    static IReadOnlyList<StoredTensor> SafetensorsTable(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            long length = reader.ReadInt64();
            if (length <= 0 || length > stream.Length - 8) throw new InvalidDataException("header length past the end of the file");
            var header = System.Text.Json.Nodes.JsonNode.Parse(reader.ReadBytes((int)length))!.AsObject();
            return header.Where(entry => entry.Key != "__metadata__").Select(entry => new StoredTensor(entry.Key,
                entry.Value!["dtype"]!.GetValue<string>() switch { "F32" => ScalarType.Float32, "F16" => ScalarType.Float16, "BF16" => ScalarType.BFloat16, "F64" => ScalarType.Float64, _ => ScalarType.Float32 },
                entry.Value!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray())).ToList();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw InputError.At(path, 0, $"not a readable safetensors file ({e.Message})");
        }
    }

    /// <summary>torch.save writes a zip archive ("PK"); safetensors starts with its header's length, then "{".</summary>
    static string FormatOf(string path)
    {
        var head = new byte[9];
        using (var stream = File.OpenRead(path)) stream.ReadExactly(head, 0, (int)Math.Min(head.Length, stream.Length));
        if (head[0] == (byte)'P' && head[1] == (byte)'K') return "pytorch";
        if (head[8] == (byte)'{') return "safetensors";
        throw InputError.At(path, 0, "neither safetensors nor a PyTorch state_dict (torch.save)");
    }
}
