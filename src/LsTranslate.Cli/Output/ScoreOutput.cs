using System.Text.Json;
using LsTranslate.Metrics;

namespace LsTranslate.Cli.Output;

/// <summary>
/// What `score` prints: sacreBLEU's `-f text` line per score (NAME|SIGNATURE = SCORE …, prefixed by the file when
/// several systems are scored), or an indented JSON array of {hyp, name, score, signature, text}; scores to
/// <c>width</c> decimals. `sacrebleu` prints the same results in sacreBLEU's own dialect (<see cref="SacrebleuOutput"/>).
/// </summary>
sealed class ScoreOutput(TextWriter stdout, int width, bool json, IReadOnlyList<string> systems)
{
    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file name that prefixes a system's scores, where there is more than one system.</summary>
    string? SystemName(int system) => systems.Count > 1 ? systems[system] : null;

    /// <param name="scores">Per system, per metric.</param>
    public void WriteCorpus(IReadOnlyList<IReadOnlyList<IMetricScore>> scores)
    {
        var rows = new List<object>();
        for (int s = 0; s < scores.Count; s++)
            foreach (var score in scores[s])
            {
                if (json) rows.Add(Json(score, SystemName(s)));
                else stdout.WriteLine((SystemName(s) is { } name ? name + ": " : "") + score.WithSignature(width));
            }
        if (json) stdout.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
    }

    /// <param name="scores">Per system, per metric, per line.</param>
    public void WriteSentences(IReadOnlyList<IReadOnlyList<IReadOnlyList<IMetricScore>>> scores)
    {
        var rows = new List<object>();
        for (int s = 0; s < scores.Count; s++)
        {
            var perMetric = scores[s];
            string? hyp = SystemName(s);
            for (int line = 0; line < perMetric[0].Count; line++)
            {
                if (json)
                    rows.AddRange(perMetric.Select(metric => (object)new Dictionary<string, object?>(Json(metric[line], hyp)) { ["line"] = line + 1 }));
                else
                    stdout.WriteLine((hyp != null ? hyp + ":" : "") + $"{line + 1}\t" + string.Join('\t', perMetric.Select(metric => metric[line].Line(width))));
            }
        }
        if (json) stdout.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
    }

    /// <param name="perMetric">Per metric, per system (the first the baseline).</param>
    public void WritePairedBootstrap(IReadOnlyList<IReadOnlyList<BootstrapResult>> perMetric, int samples, int seed)
    {
        var rows = new List<object>();
        if (!json) stdout.WriteLine($"Paired bootstrap resampling: {samples} samples, seed {seed}, baseline {systems[0]}");
        int nameWidth = systems.Max(h => h.Length);
        foreach (var results in perMetric)
        {
            if (!json) stdout.WriteLine($"{results[0].Score.Name}|{results[0].Score.Signature}|bs:{samples}|seed:{seed}");
            for (int s = 0; s < results.Count; s++)
            {
                var r = results[s];
                if (json)
                {
                    var row = Json(r.Score, systems[s]);
                    row["mean"] = Math.Round(r.Mean, 4);
                    row["ci95"] = Math.Round(r.ConfidenceInterval, 4);
                    row["p_value"] = r.PValue is { } pv ? Math.Round(pv, 4) : null;
                    row["baseline"] = s == 0;
                    rows.Add(row);
                    continue;
                }
                string line = $"  {systems[s].PadRight(nameWidth)}  {r.Score.Name} = {PythonFormat.Fixed(r.Score.Score, width)} " +
                    $"(μ = {PythonFormat.Fixed(r.Mean, width)} ± {PythonFormat.Fixed(r.ConfidenceInterval, width)})";
                line += r.PValue is { } p ? $"  p = {PythonFormat.Fixed(p, 4)}{(p < 0.05 ? " *" : "")}" : "  (baseline)";
                stdout.WriteLine(line);
            }
        }
        if (json) stdout.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
    }

    /// <summary>sacreBLEU's JSON score is the printed (rounded) score.</summary>
    Dictionary<string, object?> Json(IMetricScore score, string? hyp)
    {
        var row = new Dictionary<string, object?>();
        if (hyp != null) row["hyp"] = hyp;
        row["name"] = score.Name;
        row["score"] = PythonFormat.Round(score.Score, width);
        row["signature"] = score.Signature.ToString();
        row["text"] = score.Line(width);
        return row;
    }
}
