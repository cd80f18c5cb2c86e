namespace LsTranslate.Model.IO;

/// <summary>
/// Lines appended to a log (JSONL). Not atomic: a kill can tear the last line, which every reader of our logs drops;
/// a failed append is the same one error line as a failed <see cref="AtomicFile.Write"/>.
/// </summary>
public static class AppendOnly
{
    public static void AppendLine(string path, string line)
    {
        try { File.AppendAllText(path, line + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw AtomicFile.WriteError(Path.GetFullPath(path), e); }
    }
}
