namespace LsTranslate.Metrics;

/// <summary>A corpus or sentence score as sacreBLEU prints it.</summary>
public interface IMetricScore
{
    /// <summary>"BLEU", "chrF2", "chrF2++", "TER".</summary>
    string Name { get; }
    double Score { get; }
    /// <summary>sacreBLEU's reproducibility signature, e.g. nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:….</summary>
    MetricSignature Signature { get; }
    /// <summary>What sacreBLEU prints after the score: BLEU's precisions, BP and lengths; empty for chrF and TER.</summary>
    string Verbose { get; }
    /// <summary>sacreBLEU's score line without signature, e.g. "BLEU = 53.71 83.8/65.8/51.4/40.3 (BP = …)".</summary>
    string Text { get; }
}

public static class MetricScoreText
{
    /// <summary>"NAME = SCORE VERBOSE" with the score to <paramref name="width"/> decimals (sacreBLEU's -w).</summary>
    public static string Line(this IMetricScore score, int width) =>
        $"{score.Name} = {PythonFormat.Fixed(score.Score, width)}{(score.Verbose.Length > 0 ? " " + score.Verbose : "")}";

    /// <summary>sacreBLEU 2.x's "-f text" line: NAME|SIGNATURE = SCORE ….</summary>
    public static string WithSignature(this IMetricScore score, int width = 2) =>
        $"{score.Name}|{score.Signature}{score.Line(width)[score.Name.Length..]}";
}
