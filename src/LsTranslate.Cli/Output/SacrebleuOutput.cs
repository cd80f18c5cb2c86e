using System.Text;
using LsTranslate.Metrics;

namespace LsTranslate.Cli.Output;

/// <summary>
/// What sacreBLEU 2.x prints. One system: JSON (Python's json.dumps with indent 1, scores rounded to the width), the text
/// line `NAME|SIGNATURE = SCORE …` (names right-aligned when several metrics are printed), or the bare scores (-b).
/// Several systems, with or without a paired test: a JSON list, or a fancy_grid table with the signatures.
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

    /// <summary>One system's cell for one metric in a multi-system table: the score, and what a paired test adds.</summary>
    sealed record SystemCell(IMetricScore Score, double? PValue = null, double? Mean = null, double? ConfidenceInterval = null);

    /// <summary>Several systems without a paired test, as sacreBLEU prints them: one row per system, metrics in name order.</summary>
    public void WriteSystems(TextWriter stdout, IReadOnlyList<string> systems, IReadOnlyList<IReadOnlyList<IMetricScore>> perMetric) =>
        WriteTable(stdout, systems, perMetric.Select(scores => scores.Select(score => new SystemCell(score)).ToList()).ToList(), test: null);

    /// <summary>--paired-bs: every system's score, bootstrap mean ± 95 % half-width and p-value against the first.</summary>
    public void WritePairedBootstrap(TextWriter stdout, IReadOnlyList<string> systems, IReadOnlyList<IReadOnlyList<BootstrapResult>> perMetric,
        int samples, string seed) =>
        WriteTable(stdout, systems, perMetric.Select(results => results.Select(r => new SystemCell(r.Score, r.PValue, r.Mean, r.ConfidenceInterval)).ToList()).ToList(),
            new PairedTest("bs", $"Paired bootstrap resampling test with {samples} resampling trials", samples, seed));

    /// <summary>--paired-ar: every system's score and p-value against the first.</summary>
    public void WritePairedRandomization(TextWriter stdout, IReadOnlyList<string> systems, IReadOnlyList<IReadOnlyList<RandomizationResult>> perMetric,
        int trials, string seed) =>
        WriteTable(stdout, systems, perMetric.Select(results => results.Select(r => new SystemCell(r.Score, r.PValue)).ToList()).ToList(),
            new PairedTest("ar", $"Paired approximate randomization test with {trials} trials", trials, seed));

    /// <param name="Key">the signature's field for the test's size: bs or ar.</param>
    sealed record PairedTest(string Key, string Title, int Size, string Seed);

    /// <summary>
    /// Several systems as sacreBLEU 2.6.0 prints them (byte for byte, checked against its recorded output): JSON, a list of
    /// one object per system (json.dumps, indent 4: a paired test's numbers in full, otherwise each score as text), or
    /// text, tabulate's fancy_grid table, a paired test's explanation, and each metric's signature.
    /// </summary>
    void WriteTable(TextWriter stdout, IReadOnlyList<string> systems, IReadOnlyList<IReadOnlyList<SystemCell>> perMetric, PairedTest? test)
    {
        var names = systems.Select((system, s) => s == 0 && test is not null ? $"Baseline: {system}" : system).ToList();
        string F(double x) => PythonFormat.Fixed(x, width);
        if (json)
        {
            string Number(double? x) => x is { } v ? PythonFormat.Repr(v) : "null";
            string Cell(SystemCell c) => test is null ? Quoted(F(c.Score.Score)) :
                "{\n" + $"            \"score\": {Number(c.Score.Score)},\n            \"p_value\": {Number(c.PValue)},\n" +
                $"            \"mean\": {Number(c.Mean)},\n            \"ci\": {Number(c.ConfidenceInterval)}\n        }}";
            var objects = names.Select((name, s) => "    {\n" + string.Join(",\n",
                new[] { $"        {Quoted("system")}: {Quoted(name)}" }.Concat(perMetric.Select(cells => $"        {Quoted(cells[s].Score.Name)}: {Cell(cells[s])}"))) + "\n    }");
            stdout.Write("[\n" + string.Join(",\n", objects) + "\n]\n");
            return;
        }
        var headers = new[] { "System" }.Concat(perMetric.Select(cells => cells[0].Score.Name + (cells[0].Mean is null ? "" : " (μ ± 95% CI)"))).ToArray();
        var rows = names.Select((name, s) => (IReadOnlyList<string>)new[] { name }.Concat(perMetric.Select(cells =>
        {
            var c = cells[s];
            // sacreBLEU stars p ≤ 0.05 and colours the rest red (no colour when stdout is no terminal).
            return F(c.Score.Score) + (c.Mean is { } mean && c.ConfidenceInterval is { } ci ? $" ({F(mean)} ± {F(ci)})" : "") +
                   (c.PValue is { } p ? $"\n(p = {PythonFormat.Fixed(p, 4)}){(p > 0.05 ? "" : "*")}" : "");
        })).ToArray()).ToList();
        var text = new StringBuilder(FancyGridTable.Draw(headers, rows)).Append('\n');
        if (test is not null)
        {
            string rule = new('-', test.Title.Length);
            text.Append($"{rule}\n{test.Title}\n{rule}\n");
            text.Append($" - Each system is pairwise compared to {names[0]}.\n");
            text.Append(test.Key == "bs" ? "   Actual system score / bootstrap estimated true mean / 95% CI are provided for each metric.\n"
                : "   Actual system score is provided for each metric.\n");
            text.Append(PairedTestExplanation);
        }
        text.Append("-----------------\nMetric signatures\n-----------------\n");
        foreach (var cells in perMetric)
        {
            var signature = test is null ? cells[0].Score.Signature : cells[0].Score.Signature.WithPairedTest(test.Key, test.Size, test.Seed);
            text.Append($" - {cells[0].Score.Name,-10} {signature}\n");
        }
        stdout.Write(text.ToString());
    }

    const string PairedTestExplanation = """

         - Null hypothesis: the system and the baseline translations are essentially
           generated by the same underlying process. For a given system and the baseline,
           the p-value is roughly the probability of the absolute score difference (delta)
           or higher occurring due to chance, under the assumption that the null hypothesis is correct.

         - Assuming a significance threshold of 0.05, the null hypothesis can be rejected
           for p-values < 0.05 (marked with "*"). This means that the delta is unlikely to be attributed
           to chance, hence the system is significantly "different" than the baseline.
           Otherwise, the p-values are highlighted in red.

         - NOTE: Significance does not tell whether a system is "better" than the baseline but rather
           emphasizes the "difference" of the systems in terms of the replicability of the delta.


        """;

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
