using System.Text;

namespace LsTranslate.Model.IO;

/// <summary>
/// Writes a whole file or nothing: into a temp file beside it, flushed to disk, then renamed over it. A write that
/// fails (a full disk, a read-only or missing folder, a path through a file) leaves the earlier file as it was and
/// no temp file, and is one error line naming the file and the cause.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temp = $"{full}.tmp-{Environment.ProcessId}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                FaultInjection.MaybeKillDuringWrite(full, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteError(full, e);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the folder itself is the problem, reported above
        }
    }

    public static void Copy(string from, string to) =>
        Write(to, stream =>
        {
            using var source = File.OpenRead(from);
            source.CopyTo(stream);
        });

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>"PATH: cannot write (No space left on device)": .NET's message without the path it repeats.</summary>
    public static InputError WriteError(string path, Exception e)
    {
        string cause = e.Message;
        int quoted = cause.IndexOf(" : '", StringComparison.Ordinal);
        if (quoted > 0) cause = cause[..quoted];
        // .NET says "could not find a part of the path" where a folder on the way is a file: say which.
        for (var folder = Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            if (File.Exists(folder)) { cause = $"{folder} is a file, not a folder"; break; }
        return InputError.At(path, 0, $"cannot write ({cause.TrimEnd('.')})");
    }

    /// <summary>Directory.CreateDirectory with <see cref="WriteError"/>'s one line when it cannot.</summary>
    public static void CreateDirectory(string path)
    {
        try { Directory.CreateDirectory(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw WriteError(Path.GetFullPath(path), e); }
    }
}
