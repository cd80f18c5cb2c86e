using System.Text;

namespace LsTranslate.Model.Corpora;

/// <summary>
/// Streams the lines of UTF-8 text, validating every byte. Lines end at \n; a trailing \r is removed
/// (CRLF files); nothing else is touched (tabs, empty lines and other spaces are kept). A leading
/// byte-order mark is dropped. Invalid UTF-8 is an <see cref="InputError"/> naming name:line, unless the caller
/// handles such lines itself.
/// </summary>
public static class TextLines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="onInvalid">given a line of invalid UTF-8 (its 1-based number and the text with U+FFFD for the bad
    /// bytes), what to yield in its place; null: the line is an error.</param>
    public static IEnumerable<string> Read(Stream stream, string name, Func<long, string, string>? onInvalid = null)
    {
        var chunk = new byte[1 << 16];
        var line = new byte[256];
        int lineLength = 0;
        long lineNumber = 1;
        int filled;
        while ((filled = ReadChunk(stream, chunk, name, lineNumber)) > 0)
        {
            int start = 0;
            for (int newline; start < filled && (newline = Array.IndexOf(chunk, (byte)'\n', start, filled - start)) >= 0; start = newline + 1)
            {
                Append(ref line, ref lineLength, chunk.AsSpan(start, newline - start));
                yield return Decode(line, lineLength, name, lineNumber++, onInvalid);
                lineLength = 0;
            }
            Append(ref line, ref lineLength, chunk.AsSpan(start, filled - start));
        }
        if (lineLength > 0)
            yield return Decode(line, lineLength, name, lineNumber, onInvalid);
    }

    private static int ReadChunk(Stream stream, byte[] chunk, string name, long lineNumber)
    {
        try
        {
            return stream.Read(chunk, 0, chunk.Length);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw InputError.At(name, lineNumber, $"cannot read ({e.Message})");
        }
    }

    private static void Append(ref byte[] line, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > line.Length)
            Array.Resize(ref line, Math.Max(line.Length * 2, length + bytes.Length));
        bytes.CopyTo(line.AsSpan(length));
        length += bytes.Length;
    }

    private static string Decode(byte[] line, int length, string name, long lineNumber, Func<long, string, string>? onInvalid)
    {
        var bytes = line.AsSpan(0, length);
        if (bytes.EndsWith("\r"u8))
            bytes = bytes[..^1];
        if (lineNumber == 1 && bytes.StartsWith(Encoding.UTF8.Preamble))
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException) when (onInvalid is not null)
        {
            return onInvalid(lineNumber, Encoding.UTF8.GetString(bytes));
        }
        catch (DecoderFallbackException e)
        {
            var bad = e.BytesUnknown is { Length: > 0 } unknown ? $" (byte 0x{unknown[0]:x2} at byte {e.Index + 1} of the line)" : "";
            throw InputError.At(name, lineNumber, $"invalid UTF-8{bad}");
        }
    }
}
