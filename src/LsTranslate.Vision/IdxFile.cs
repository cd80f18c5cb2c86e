using LsTranslate.Model;
using System.IO.Compression;

namespace LsTranslate.Vision;

/// <summary>An IDX array of unsigned bytes (the MNIST file format): its dimensions and its data.</summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    public int Count => Dimensions[0];
}

/// <summary>
/// Reads IDX files of unsigned bytes, plain or gzip-compressed (detected from the content, not the name).
/// The header is 0x00 0x00, a type byte (0x08 = unsigned byte), a dimension count, then one big-endian
/// int32 per dimension; the data must hold exactly the product of the dimensions.
/// </summary>
public static class IdxFile
{
    const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file whose number of dimensions must be <paramref name="expectedRank"/>.</summary>
    public static IdxArray Read(string path, int expectedRank)
    {
        if (!File.Exists(path)) throw InputError.At(path, 0, "no such file");
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        try
        {
            return Parse(path, stream, expectedRank);
        }
        catch (InvalidDataException e)
        {
            throw InputError.At(path, 0, $"broken gzip data ({e.Message})");
        }
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    static IdxArray Parse(string path, Stream stream, int expectedRank)
    {
        var header = new byte[4];
        if (ReadFully(stream, header) < 4) throw InputError.At(path, 0, "truncated IDX header (fewer than 4 bytes)");
        if (header[0] != 0 || header[1] != 0)
            throw InputError.At(path, 0, $"not an IDX file: magic number starts {header[0]:x2} {header[1]:x2}, expected 00 00");
        if (header[2] != UnsignedByteType)
            throw InputError.At(path, 0, $"IDX element type 0x{header[2]:x2} is not supported (expected 0x08, unsigned byte)");
        if (header[3] != expectedRank)
            throw InputError.At(path, 0, $"IDX file has {header[3]} dimensions, expected {expectedRank} (magic 0x{UnsignedByteType << 8 | expectedRank:x8})");

        var dimensionBytes = new byte[4 * expectedRank];
        if (ReadFully(stream, dimensionBytes) < dimensionBytes.Length) throw InputError.At(path, 0, "truncated IDX header (dimension sizes missing)");
        var dimensions = new int[expectedRank];
        long total = 1;
        for (int d = 0; d < expectedRank; d++)
        {
            dimensions[d] = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * d));
            if (dimensions[d] < 0) throw InputError.At(path, 0, $"IDX dimension {d} is negative ({dimensions[d]})");
            total *= dimensions[d];
        }
        if (total > Array.MaxLength) throw InputError.At(path, 0, $"IDX data of {total} bytes is too large");

        var data = new byte[total];
        int got = ReadFully(stream, data);
        if (got < total)
            throw InputError.At(path, 0, $"truncated IDX data: header promises {total} bytes ({string.Join("×", dimensions)}), file holds {got}");
        if (stream.ReadByte() != -1)
            throw InputError.At(path, 0, $"IDX file has bytes beyond the {total} its header announces ({string.Join("×", dimensions)})");
        return new IdxArray(dimensions, data);
    }

    static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0) break;
            total += read;
        }
        return total;
    }
}
