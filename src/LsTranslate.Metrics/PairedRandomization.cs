namespace LsTranslate.Metrics;

/// <summary>One system's result in a paired approximate randomization test.</summary>
/// <param name="Score">The corpus score.</param>
/// <param name="PValue">Against the baseline; null for the baseline itself.</param>
public sealed record RandomizationResult(IMetricScore Score, double? PValue);

/// <summary>
/// Paired approximate randomization as sacreBLEU 2.x does it (after Riezler and Maxwell 2005 and multeval): in each
/// trial every line's statistics are swapped between the baseline and the system with probability ½, and the p-value is
/// (c + 1) / (N + 1), with c the trials whose |score A − score B| exceeds the observed difference. The swaps are numpy's
/// <c>default_rng(seed).integers(2, size=(trials, lines), dtype=bool)</c> (<see cref="NumpyRandom.BooleanWords"/>), drawn
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
        int lines = references.Count;
        foreach (var system in systems.Skip(1))
        {
            var stats = metric.LineStatistics(system, references);
            var score = metric.FromStatistics(TextMetric.Sum(stats, k), references.NRefs);
            double observed = Math.Abs(baselineScore.Score - score.Score);
            // Swap bit of trial t, line i: bit (t·lines + i) of the draws, row-major as numpy fills (trials, lines).
            var swaps = new NumpyRandom(seed).BooleanWords((long)trials * lines);
            int exceeding = 0;
            Parallel.For(0, trials, () => (A: new double[k], B: new double[k], Count: 0), (trial, _, local) =>
            {
                Array.Clear(local.A);
                Array.Clear(local.B);
                long bit = (long)trial * lines;
                for (int line = 0; line < lines; line++, bit++)
                {
                    bool swapped = (swaps[bit >> 5] >> (int)(bit & 31) & 1) != 0;
                    var (toA, toB) = swapped ? (baseline, stats) : (stats, baseline);
                    for (int j = 0; j < k; j++)
                    {
                        local.A[j] += toA[line * k + j];
                        local.B[j] += toB[line * k + j];
                    }
                }
                double difference = Math.Abs(metric.FromStatistics(local.A, references.NRefs).Score - metric.FromStatistics(local.B, references.NRefs).Score);
                if (difference > observed) local.Count++;
                return local;
            }, local => Interlocked.Add(ref exceeding, local.Count));
            results.Add(new RandomizationResult(score, (exceeding + 1.0) / (trials + 1.0)));
        }
        return results;
    }
}
