using System.IO.Compression;

namespace LsTranslate.Model.Corpora;

/// <summary>Opens a text file for reading, transparently un-gzipping it when it starts with the gzip magic.</summary>
internal static class CorpusFile
{
    public static Stream Open(string path)
    {
        if (!File.Exists(path))
            throw InputError.At(path, 0, "file not found");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        // Detect by content, not extension: people gzip files without renaming them and vice versa.
        var magic = new byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        // A pipe (<(zcat …), a FIFO) cannot seek back: the bytes read are given back in front of the rest instead.
        Stream whole = file.CanSeek ? Rewound(file) : new PrefixedStream(magic.AsMemory(0, read), file);
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? new GZipStream(whole, CompressionMode.Decompress)
            : whole;
    }

    static Stream Rewound(FileStream file)
    {
        file.Position = 0;
        return file;
    }

    /// <summary>A read-only stream of some bytes already read, then the rest of the stream they came from.</summary>
    sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : IO.ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (prefix.IsEmpty) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, prefix.Length);
            prefix.Span[..n].CopyTo(buffer);
            prefix = prefix[n..];
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }

    public static IEnumerable<string> ReadLines(string path)
    {
        using var stream = Open(path);
        foreach (var line in TextLines.Read(stream, path))
            yield return line;
    }
}
