namespace LsTranslate.Metrics;

/// <summary>One system's result in a paired bootstrap test.</summary>
/// <param name="Score">The corpus score.</param>
/// <param name="Mean">Mean score over the bootstrap resamples.</param>
/// <param name="ConfidenceInterval">Half-width of the 95% interval of the resampled scores.</param>
/// <param name="PValue">Against the baseline; null for the baseline itself.</param>
public sealed record BootstrapResult(IMetricScore Score, double Mean, double ConfidenceInterval, double? PValue);

/// <summary>
/// Paired bootstrap resampling as sacreBLEU 2.x does it (after Koehn 2004 and Moses'
/// bootstrap-hypothesis-difference-significance.pl): draw N resamples of line indices once, score the
/// baseline and each system on the same resamples from their per-line statistics, and take as p-value
/// (c + 1) / (N + 1), with c the resamples whose mean-centred |system − baseline| exceeds the observed
/// difference. Our random stream is our own (seeded), so p-values and intervals agree with
/// sacreBLEU's in distribution, not digit for digit.
/// </summary>
public static class PairedBootstrap
{
    public const int DefaultSamples = 1000;
    public const int DefaultSeed = 12345;

    /// <summary>Compares every system with the first (the baseline); one result per system, in order.</summary>
    public static IReadOnlyList<BootstrapResult> Compare(TextMetric metric, IReadOnlyList<IReadOnlyList<string>> systems,
        References references, int samples = DefaultSamples, int seed = DefaultSeed) =>
        Compare(metric, systems, metric.Prepare(references), samples, seed);

    /// <inheritdoc cref="Compare(TextMetric, IReadOnlyList{IReadOnlyList{string}}, References, int, int)"/>
    public static IReadOnlyList<BootstrapResult> Compare(TextMetric metric, IReadOnlyList<IReadOnlyList<string>> systems,
        PreparedReferences references, int samples = DefaultSamples, int seed = DefaultSeed)
    {
        if (systems.Count == 0) throw new ArgumentException("no systems to compare");
        if (samples < 1) throw new ArgumentException("at least one bootstrap sample is needed");
        int lines = references.Count;
        var random = new Random(seed);
        var indices = new int[samples][];
        for (int s = 0; s < samples; s++)
        {
            indices[s] = new int[lines];
            for (int i = 0; i < lines; i++) indices[s][i] = random.Next(lines);
        }

        var results = new List<BootstrapResult>();
        double[]? baselineScores = null;
        double baselineScore = 0;
        foreach (var system in systems)
        {
            var stats = metric.LineStatistics(system, references);
            var score = metric.FromStatistics(TextMetric.Sum(stats, metric.StatCount), references.NRefs);
            var resampled = Resample(metric, stats, indices, references.NRefs);
            var (mean, ci) = MeanAndInterval(resampled);
            double? p = null;
            if (baselineScores == null)
            {
                baselineScores = resampled;
                baselineScore = score.Score;
            }
            else p = PValue(baselineScores, resampled, Math.Abs(baselineScore - score.Score));
            results.Add(new BootstrapResult(score, mean, ci, p));
        }
        return results;
    }

    static double[] Resample(TextMetric metric, double[] stats, int[][] indices, string nrefs)
    {
        int k = metric.StatCount;
        var scores = new double[indices.Length];
        Parallel.For(0, indices.Length, s =>
        {
            var totals = new double[k];
            foreach (int line in indices[s])
                for (int j = 0; j < k; j++) totals[j] += stats[line * k + j];
            scores[s] = metric.FromStatistics(totals, nrefs).Score;
        });
        return scores;
    }

    /// <summary>sacreBLEU's estimate_ci: the mean, and half the distance between the 2.5% and 97.5% order statistics.</summary>
    static (double Mean, double Interval) MeanAndInterval(double[] scores)
    {
        var sorted = scores.Order().ToArray();
        int lower = sorted.Length / 40, upper = sorted.Length - lower - 1;
        return (sorted.Average(), 0.5 * (sorted[upper] - sorted[lower]));
    }

    static double PValue(double[] baseline, double[] system, double observed)
    {
        var differences = system.Zip(baseline, (a, b) => Math.Abs(a - b)).ToArray();
        double mean = differences.Average();
        int exceeding = differences.Count(d => d - mean > observed);
        return (exceeding + 1.0) / (differences.Length + 1.0);
    }
}
