using System.Text;

namespace LsTranslate.Metrics;

/// <summary>
/// Reads a text file of one segment per line, as sacreBLEU reads it (UTF-8, lines end at \n, \r\n or
/// \r), strictly: invalid UTF-8 is an error naming the file and line, and so is an empty file.
/// </summary>
public static class LineFile
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads <paramref name="path"/>, or standard input for "-".</summary>
    public static string[] Read(string path)
    {
        byte[] bytes;
        if (path == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var memory = new MemoryStream();
            stdin.CopyTo(memory);
            bytes = memory.ToArray();
        }
        else
        {
            if (!File.Exists(path)) throw InputError.At(path, 0, "no such file");
            bytes = File.ReadAllBytes(path);
        }
        return Parse(bytes, path == "-" ? "<stdin>" : path);
    }

    public static string[] Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.IsEmpty) throw InputError.At(name, 0, "file is empty");
        var lines = new List<string>();
        int start = 0;
        while (start < bytes.Length)
        {
            int end = bytes[start..].IndexOfAny((byte)'\n', (byte)'\r');
            int next;
            if (end < 0) { end = bytes.Length; next = end; }
            else
            {
                end += start;
                next = bytes[end] == '\r' && end + 1 < bytes.Length && bytes[end + 1] == '\n' ? end + 2 : end + 1;
            }
            try
            {
                lines.Add(Strict.GetString(bytes[start..end]));
            }
            catch (DecoderFallbackException)
            {
                throw InputError.At(name, lines.Count + 1, "invalid UTF-8");
            }
            start = next;
        }
        return [.. lines];
    }
}
