namespace LsTranslate.Decode.Metrics;

/// <summary>A corpus or sentence score as sacreBLEU prints it.</summary>
public interface IMetricScore
{
    /// <summary>"BLEU", "chrF2", "chrF2++", "TER".</summary>
    string Name { get; }
    double Score { get; }
    /// <summary>sacreBLEU's reproducibility signature, e.g. nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:….</summary>
    string Signature { get; }
    /// <summary>sacreBLEU's score line without signature, e.g. "BLEU = 53.71 83.8/65.8/51.4/40.3 (BP = …)".</summary>
    string Text { get; }
}

public static class MetricScoreText
{
    /// <summary>The version field of our signatures: the numbers follow sacreBLEU 2.6.0, the code is ours.</summary>
    public const string Version = "lstranslate-0.1";

    /// <summary>sacreBLEU 2.x's "-f text" line: NAME|SIGNATURE = SCORE ….</summary>
    public static string WithSignature(this IMetricScore score) =>
        $"{score.Name}|{score.Signature}{score.Text[score.Name.Length..]}";

    internal static string Signature(IEnumerable<(string Key, string Value)> fields) =>
        string.Join('|', fields.Select(f => $"{f.Key}:{f.Value}").Append($"version:{Version}"));
}
