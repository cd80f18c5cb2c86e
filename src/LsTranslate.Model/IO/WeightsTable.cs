using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.IO;

/// <summary>One tensor of a checkpoint's weights section: its name, element type and shape.</summary>
public sealed record StoredTensor(string Name, ScalarType Type, long[] Shape)
{
    public long Bytes => Shape.Aggregate(1L, (a, b) => a * b) * Type switch
    {
        ScalarType.Float64 or ScalarType.Int64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Int16 => 2,
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        _ => throw new InvalidDataException($"unknown element type {(int)Type}"),
    };
}

/// <summary>
/// Reads the table of a checkpoint's weights section (TorchSharp's module format: a LEB128 count, then per tensor its
/// name, LEB128 element type, rank and dimensions, and the raw data) without loading it, so that a truncated file or
/// one of another architecture is reported as what it is, naming the tensors.
/// </summary>
public static class WeightsTable
{
    /// <summary>The tensors from the reader's position on; throws <see cref="EndOfStreamException"/> when the file ends inside them.</summary>
    public static IReadOnlyList<StoredTensor> ReadTable(BinaryReader reader)
    {
        long count = Leb128(reader);
        var tensors = new List<StoredTensor>();
        for (long i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            var type = (ScalarType)Leb128(reader);
            var shape = new long[Leb128(reader)];
            for (int d = 0; d < shape.Length; d++) shape[d] = Leb128(reader);
            var tensor = new StoredTensor(name, type, shape);
            if (reader.BaseStream.Position + tensor.Bytes > reader.BaseStream.Length) throw new EndOfStreamException($"inside {name}");
            reader.BaseStream.Seek(tensor.Bytes, SeekOrigin.Current);
            tensors.Add(tensor);
        }
        return tensors;
    }

    /// <summary>Where the stored tensors and the model's disagree (missing, unexpected, other shapes); empty when they fit.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<StoredTensor> stored, nn.Module model)
    {
        var wanted = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        var had = stored.ToDictionary(t => t.Name, t => t.Shape);
        string Shape(long[] s) => "[" + string.Join(",", s) + "]";
        return wanted.Where(w => !had.ContainsKey(w.Key)).Select(w => $"{w.Key} missing")
            .Concat(had.Where(h => !wanted.ContainsKey(h.Key)).Select(h => $"{h.Key} not in this model"))
            .Concat(wanted.Where(w => had.TryGetValue(w.Key, out var s) && !s.SequenceEqual(w.Value))
                .Select(w => $"{w.Key} {Shape(had[w.Key])} where the model has {Shape(w.Value)}"))
            .ToList();
    }

    /// <summary>Refuses a file whose tensors do not fit the model, naming the first four differences (<paramref name="what"/>: "checkpoint", "weights").</summary>
    public static void RequireFit(string path, IReadOnlyList<StoredTensor> stored, nn.Module model, string what)
    {
        var differing = Differences(stored, model);
        if (differing.Count > 0)
            throw InputError.At(path, 0, $"{what} of another architecture: {string.Join("; ", differing.Take(4))}" +
                                         (differing.Count > 4 ? $"; {differing.Count - 4} more" : ""));
    }

    static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
            if (shift > 56) throw new InvalidDataException("malformed length");
        }
    }
}
