using System.IO.Compression;

namespace LsTranslate.Model.Text;

/// <summary>Opens a text file for reading, transparently un-gzipping it when it starts with the gzip magic.</summary>
internal static class CorpusFile
{
    public static Stream Open(string path)
    {
        if (!File.Exists(path))
            throw InputError.At(path, 0, "file not found");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        // Detect by content, not extension: people gzip files without renaming them and vice versa.
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
    }

    public static IEnumerable<string> ReadLines(string path)
    {
        using var stream = Open(path);
        foreach (var line in TextLines.Read(stream, path))
            yield return line;
    }
}
