namespace LsTranslate.Model.Text;

/// <summary>Writes a file through a temporary sibling and a rename, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temporary, text, new System.Text.UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void Copy(string from, string to)
    {
        var temporary = $"{to}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.Copy(from, temporary);
            File.Move(temporary, to, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
