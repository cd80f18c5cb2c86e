namespace LsTranslate.Metrics;

/// <summary>One system's result in a paired approximate randomization test.</summary>
/// <param name="Score">The corpus score.</param>
/// <param name="PValue">Against the baseline; null for the baseline itself.</param>
public sealed record RandomizationResult(IMetricScore Score, double? PValue);

/// <summary>
/// Paired approximate randomization as sacreBLEU 2.x does it (after Riezler and Maxwell 2005 and multeval): in each
/// trial every line's statistics are swapped between the baseline and the system with probability ½, and the p-value is
/// (c + 1) / (N + 1), with c the trials whose |score A − score B| exceeds the observed difference. The swaps are numpy's
/// <c>default_rng(seed).integers(2, size=(trials, lines), dtype=bool)</c> (<see cref="NumpyRandom.Booleans"/>), drawn
/// afresh for each system as sacreBLEU draws them, and the scores are computed from exact sums, so p-values are sacreBLEU's.
/// </summary>
public static class PairedRandomization
{
    public const int DefaultTrials = 10000;

    /// <summary>Compares every system with the first (the baseline); one result per system, in order.</summary>
    public static IReadOnlyList<RandomizationResult> Compare(TextMetric metric, IReadOnlyList<IReadOnlyList<string>> systems,
        PreparedReferences references, int trials = DefaultTrials, int seed = BootstrapResamples.DefaultSeed)
    {
        if (systems.Count == 0) throw new ArgumentException("no systems to compare");
        if (trials < 1) throw new ArgumentException("at least one trial is needed");
        int k = metric.StatCount;
        var baseline = metric.LineStatistics(systems[0], references);
        var baselineScore = metric.FromStatistics(TextMetric.Sum(baseline, k), references.NRefs);
        var results = new List<RandomizationResult> { new(baselineScore, null) };
        foreach (var system in systems.Skip(1))
        {
            var stats = metric.LineStatistics(system, references);
            var score = metric.FromStatistics(TextMetric.Sum(stats, k), references.NRefs);
            double observed = Math.Abs(baselineScore.Score - score.Score);
            using var swaps = new NumpyRandom(seed).Booleans().GetEnumerator();
            int exceeding = 0;
            var (a, b) = (new double[k], new double[k]);
            for (int trial = 0; trial < trials; trial++)
            {
                Array.Clear(a);
                Array.Clear(b);
                for (int line = 0; line < references.Count; line++)
                {
                    swaps.MoveNext();
                    var (toA, toB) = swaps.Current ? (baseline, stats) : (stats, baseline);
                    for (int j = 0; j < k; j++)
                    {
                        a[j] += toA[line * k + j];
                        b[j] += toB[line * k + j];
                    }
                }
                double difference = Math.Abs(metric.FromStatistics(a, references.NRefs).Score - metric.FromStatistics(b, references.NRefs).Score);
                if (difference > observed) exceeding++;
            }
            results.Add(new RandomizationResult(score, (exceeding + 1.0) / (trials + 1.0)));
        }
        return results;
    }
}
