namespace LsTranslate.Metrics;

/// <summary>
/// A sacreBLEU-style metric: per-line sufficient statistics that add up over a corpus, and a score
/// computed from their sums. Bootstrap resampling reuses the per-line statistics.
/// </summary>
public abstract class TextMetric
{
    /// <summary>Statistics per line.</summary>
    public abstract int StatCount { get; }

    /// <summary>Computes one line's statistics; one instance per thread.</summary>
    protected abstract class LineWorker
    {
        public abstract void Statistics(string hypothesis, IReadOnlyList<string> references, Span<double> stats);
    }

    protected abstract LineWorker CreateWorker();

    /// <summary>The score of summed statistics.</summary>
    public abstract IMetricScore FromStatistics(ReadOnlySpan<double> totals, string nrefs);

    /// <summary>Per-line statistics, row-major: line i at [i*StatCount, (i+1)*StatCount).</summary>
    public double[] LineStatistics(IReadOnlyList<string> hypotheses, References references)
    {
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"{hypotheses.Count} hypotheses but {references.Count} reference lines");
        int k = StatCount, n = hypotheses.Count;
        var stats = new double[n * k];
        const int chunk = 256;
        int chunks = (n + chunk - 1) / chunk;
        Parallel.For(0, chunks, CreateWorker, (c, _, worker) =>
        {
            for (int i = c * chunk, end = Math.Min(n, i + chunk); i < end; i++)
                worker.Statistics(hypotheses[i], references[i], stats.AsSpan(i * k, k));
            return worker;
        }, _ => { });
        return stats;
    }

    public static double[] Sum(ReadOnlySpan<double> lineStats, int statCount)
    {
        var totals = new double[statCount];
        for (int i = 0; i < lineStats.Length; i++) totals[i % statCount] += lineStats[i];
        return totals;
    }

    public IMetricScore Corpus(IReadOnlyList<string> hypotheses, References references) =>
        FromStatistics(Sum(LineStatistics(hypotheses, references), StatCount), references.NRefs);

    public IMetricScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        Corpus(hypotheses, new References(referenceStreams));

    /// <summary>One score per line (sentence-level scoring).</summary>
    public IReadOnlyList<IMetricScore> Sentences(IReadOnlyList<string> hypotheses, References references)
    {
        var stats = LineStatistics(hypotheses, references);
        int k = StatCount;
        return Enumerable.Range(0, hypotheses.Count)
            .Select(i => FromStatistics(stats.AsSpan(i * k, k), references[i].Count.ToString())).ToArray();
    }
}
