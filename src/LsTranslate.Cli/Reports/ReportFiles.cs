using System.Text.Json;

namespace LsTranslate.Cli.Reports;

/// <summary>Atomic writes of report text and JSON (temp file, then rename).</summary>
public static class ReportFiles
{
    public static void WriteText(string path, string text) => LsTranslate.Model.IO.AtomicFile.WriteAllText(path, text);

    public static void WriteJson<T>(string path, T value) => LsTranslate.Model.IO.Json.WriteFile(path, value);

    /// <summary>A Markdown table from a header row and data rows.</summary>
    public static string MarkdownTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", header) + " |",
            "|" + string.Concat(header.Select(_ => "---|")),
        };
        lines.AddRange(rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join("\n", lines) + "\n";
    }
}
