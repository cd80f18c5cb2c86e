namespace LsTranslate.Metrics;

/// <summary>One system's result in a paired bootstrap test.</summary>
/// <param name="Score">The corpus score.</param>
/// <param name="Mean">Mean score over the bootstrap resamples.</param>
/// <param name="ConfidenceInterval">Half-width of the 95% interval of the resampled scores.</param>
/// <param name="PValue">Against the baseline; null for the baseline itself.</param>
public sealed record BootstrapResult(IMetricScore Score, double Mean, double ConfidenceInterval, double? PValue);

/// <summary>
/// Paired bootstrap resampling as sacreBLEU 2.x does it (after Koehn 2004 and Moses'
/// bootstrap-hypothesis-difference-significance.pl): score the baseline and each system on the same
/// <see cref="BootstrapResamples"/> from their per-line statistics, and take as p-value (c + 1) / (N + 1), with c the
/// resamples whose mean-centred |system − baseline| exceeds the observed difference.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>Compares every system with the first (the baseline); one result per system, in order.</summary>
    public static IReadOnlyList<BootstrapResult> Compare(TextMetric metric, IReadOnlyList<IReadOnlyList<string>> systems,
        References references, int samples = BootstrapResamples.DefaultSamples, int seed = BootstrapResamples.DefaultSeed) =>
        Compare(metric, systems, metric.Prepare(references), samples, seed);

    /// <inheritdoc cref="Compare(TextMetric, IReadOnlyList{IReadOnlyList{string}}, References, int, int)"/>
    public static IReadOnlyList<BootstrapResult> Compare(TextMetric metric, IReadOnlyList<IReadOnlyList<string>> systems,
        PreparedReferences references, int samples = BootstrapResamples.DefaultSamples, int seed = BootstrapResamples.DefaultSeed)
    {
        if (systems.Count == 0) throw new ArgumentException("no systems to compare");
        var resamples = new BootstrapResamples(references.Count, samples, seed);
        var results = new List<BootstrapResult>();
        double[]? baselineScores = null;
        double baselineScore = 0;
        foreach (var system in systems)
        {
            var stats = metric.LineStatistics(system, references);
            var score = metric.FromStatistics(TextMetric.Sum(stats, metric.StatCount), references.NRefs);
            var resampled = resamples.Metric(metric, stats);
            double? p = null;
            if (baselineScores == null)
            {
                baselineScores = resampled;
                baselineScore = score.Score;
            }
            else p = PValue(baselineScores, resampled, Math.Abs(baselineScore - score.Score));
            var (mean, halfWidth) = BootstrapResamples.MeanAndHalfWidth(resampled);
            results.Add(new BootstrapResult(score, mean, halfWidth, p));
        }
        return results;
    }

    static double PValue(double[] baseline, double[] system, double observed)
    {
        var differences = system.Zip(baseline, (a, b) => Math.Abs(a - b)).ToArray();
        double mean = NumpySum.Mean(differences);
        int exceeding = differences.Count(d => d - mean > observed);
        return (exceeding + 1.0) / (differences.Length + 1.0);
    }
}
