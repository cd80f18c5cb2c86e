using System.Text;
using LsTranslate.Metrics;

namespace LsTranslate.Cli.Output;

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

    /// <summary>
    /// --paired-bs: per system and metric the score, the bootstrap mean ± the 95 % half-width and the p-value against
    /// the baseline (the first system), as sacreBLEU's table has them; JSON: one object per system. Our p-values come
    /// from our own random stream (see <see cref="PairedBootstrap"/>); no recorded sacreBLEU output fixes this layout.
    /// </summary>
    public void WritePairedBootstrap(TextWriter stdout, IReadOnlyList<string> systems, IReadOnlyList<IReadOnlyList<BootstrapResult>> perMetric, int samples)
    {
        string F(double x) => PythonFormat.Fixed(x, width);
        if (json)
        {
            var objects = systems.Select((system, s) => "{\n" + string.Join(",\n",
                new[] { $" {Quoted("system")}: {Quoted(system)}", $" {Quoted("baseline")}: {(s == 0 ? "true" : "false")}" }.Concat(perMetric.Select(results =>
                {
                    var r = results[s];
                    return $" {Quoted(r.Score.Name)}: {{\"score\": {PythonFormat.Repr(PythonFormat.Round(r.Score.Score, width))}, " +
                           $"\"mean\": {PythonFormat.Repr(PythonFormat.Round(r.Mean, width))}, \"ci\": {PythonFormat.Repr(PythonFormat.Round(r.ConfidenceInterval, width))}" +
                           (r.PValue is { } p ? $", \"p_value\": {PythonFormat.Repr(PythonFormat.Round(p, 4))}}}" : "}");
                }))) + "\n}");
            stdout.Write("[\n" + string.Join(",\n", objects) + "\n]\n");
            return;
        }
        var header = new[] { "System" }.Concat(perMetric.Select(r => $"{r[0].Score.Name} (μ ± 95% CI)")).ToArray();
        var rows = systems.Select((system, s) => new[] { s == 0 ? $"Baseline: {system}" : system }
            .Concat(perMetric.Select(results => $"{F(results[s].Score.Score)} ({F(results[s].Mean)} ± {F(results[s].ConfidenceInterval)})" +
                (results[s].PValue is { } p ? $" (p = {PythonFormat.Fixed(p, 4)}){(p < 0.05 ? "*" : "")}" : ""))).ToArray()).ToList();
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => "| " + string.Join(" | ", cells.Select((cell, c) => cell.PadRight(widths[c]))) + " |";
        var text = new StringBuilder();
        text.Append(Line(header)).Append('\n').Append("|" + string.Concat(widths.Select(wd => new string('-', wd + 2) + "|"))).Append('\n');
        foreach (var row in rows) text.Append(Line(row)).Append('\n');
        text.Append($"\nPaired bootstrap resampling test with {samples} resampling trials: each system against the baseline; " +
                    "* marks p < 0.05 (the difference is unlikely to be chance; it does not say which is better).\n");
        foreach (var results in perMetric)
            text.Append($" - {results[0].Score.Name}|{results[0].Score.Signature.WithBootstrap(samples, BootstrapResamples.DefaultSeed)}\n");
        stdout.Write(text.ToString());
    }

    static string Heading(IMetricScore score) => $"{score.Name}|{score.Signature}";

    /// <summary>sacreBLEU's text line, its NAME|SIGNATURE right-aligned to <paramref name="nameWidth"/> when several metrics print.</summary>
    string TextLine(IMetricScore score, int nameWidth) => Heading(score).PadLeft(nameWidth) + score.Line(width)[score.Name.Length..];

    string JsonObject(IMetricScore score)
    {
        var fields = new List<(string Key, string Value)>
        {
            ("name", Quoted(score.Name)),
            ("score", PythonFormat.Repr(PythonFormat.Round(score.Score, width))),
            ("signature", Quoted(score.Signature.ToString())),
        };
        if (score.Verbose.Length > 0) fields.Add(("verbose_score", Quoted(score.Verbose)));
        fields.AddRange(score.Signature.Fields.Select(f => (f.Key, Quoted(f.Value))));
        return "{\n" + string.Join(",\n", fields.Select(f => $" {Quoted(f.Key)}: {f.Value}")) + "\n}";
    }

    /// <summary>A JSON string as Python's json.dumps writes it: printable ASCII as is, its short escapes, everything else as \uXXXX.</summary>
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
                '\b' => "\\b",
                '\f' => "\\f",
                _ when c < 0x20 || c > 0x7e => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return quoted.Append('"').ToString();
    }
}
