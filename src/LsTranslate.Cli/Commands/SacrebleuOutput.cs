using System.Text;
using LsTranslate.Decode.Metrics;

namespace LsTranslate.Cli.Commands;

/// <summary>
/// What sacreBLEU 2.x prints: JSON (Python's json.dumps with indent 1, scores rounded to the width), the text line
/// `NAME|SIGNATURE = SCORE …` (names right-aligned when several metrics are printed), or the bare scores (-b).
/// </summary>
sealed class SacrebleuOutput(int width, bool scoreOnly, bool json)
{
    public void WriteCorpus(TextWriter stdout, IReadOnlyList<IMetricScore> scores)
    {
        if (scoreOnly)
        {
            var values = scores.Select(s => PythonFormat.Repr(PythonFormat.Round(s.Score, width))).ToList();
            stdout.Write(values.Count == 1 ? values[0] + "\n" : "[\n" + string.Join(",\n", values) + "\n]\n");
        }
        else if (json)
        {
            var objects = scores.Select(JsonObject).ToList();
            stdout.Write(objects.Count == 1 ? objects[0] + "\n" : "[\n" + string.Join(",\n", objects) + "\n]\n");
        }
        else
        {
            int nameWidth = scores.Max(s => Heading(s).Length);
            foreach (var score in scores) stdout.Write(TextLine(score, scores.Count > 1 ? nameWidth : 0) + "\n");
        }
    }

    /// <summary>sacreBLEU prints sentence scores as text lines whatever the format (or bare with -b).</summary>
    public void WriteSentences(TextWriter stdout, IEnumerable<IMetricScore> scores)
    {
        var text = new StringBuilder();
        foreach (var score in scores)
            text.Append(scoreOnly ? PythonFormat.Fixed(score.Score, width) : TextLine(score, 0)).Append('\n');
        stdout.Write(text.ToString());
    }

    static string Heading(IMetricScore score) => $"{score.Name}|{score.Signature}";

    string TextLine(IMetricScore score, int nameWidth) =>
        $"{Heading(score).PadLeft(nameWidth)} = {PythonFormat.Fixed(score.Score, width)}{(score.Verbose.Length > 0 ? " " + score.Verbose : "")}";

    string JsonObject(IMetricScore score)
    {
        var fields = new List<(string Key, string Value)>
        {
            ("name", Quoted(score.Name)),
            ("score", PythonFormat.Repr(PythonFormat.Round(score.Score, width))),
            ("signature", Quoted(score.Signature)),
        };
        if (score.Verbose.Length > 0) fields.Add(("verbose_score", Quoted(score.Verbose)));
        fields.AddRange(score.SignatureFields().Select(f => (f.Key, Quoted(f.Value))));
        return "{\n" + string.Join(",\n", fields.Select(f => $" {Quoted(f.Key)}: {f.Value}")) + "\n}";
    }

    /// <summary>A JSON string as Python's json.dumps writes it (ASCII only: everything else as \uXXXX).</summary>
    static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in text)
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < 0x20 || c > 0x7f => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return quoted.Append('"').ToString();
    }
}
