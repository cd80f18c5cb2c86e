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
        /// <summary>A reference line as <see cref="Statistics"/> reads it: made once, whatever the number of systems.</summary>
        public virtual string Prepare(string reference) => reference;

        public abstract void Statistics(string hypothesis, IReadOnlyList<string> preparedReferences, Span<double> stats);
    }

    protected abstract LineWorker CreateWorker();

    /// <summary>The score of summed statistics.</summary>
    public abstract IMetricScore FromStatistics(ReadOnlySpan<double> totals, string nrefs);

    /// <summary>
    /// The score of a bootstrap resample's summed statistics as sacreBLEU computes it: its resampled statistics are
    /// numpy float32, so where a metric divides one statistic by another, the quotient is rounded to float32 (chrF's
    /// precision and recall, TER's edit rate); everything else is float64, as for the corpus score. That is numpy 1.x's
    /// promotion (a Python number widens a float32 to float64); numpy 2 (NEP 50) keeps more of it in float32.
    /// </summary>
    public virtual double ResampledScore(ReadOnlySpan<double> totals) => FromStatistics(totals, "").Score;

    /// <summary>A quotient of two statistics, rounded to float32 when <paramref name="float32"/> (<see cref="ResampledScore"/>).</summary>
    protected static double Ratio(double numerator, double denominator, bool float32) =>
        float32 ? (float)numerator / (float)denominator : numerator / denominator;

    /// <summary>The references as this metric reads them, to score any number of systems against.</summary>
    public PreparedReferences Prepare(References references)
    {
        var lines = new string[references.Count][];
        ForEachLine(references.Count, (worker, i) =>
        {
            var given = references[i];
            var prepared = lines[i] = new string[given.Count];
            for (int r = 0; r < prepared.Length; r++) prepared[r] = worker.Prepare(given[r]);
        });
        return new PreparedReferences(this, lines, references.NRefs);
    }

    /// <summary>Per-line statistics, row-major: line i at [i*StatCount, (i+1)*StatCount).</summary>
    public double[] LineStatistics(IReadOnlyList<string> hypotheses, References references) => LineStatistics(hypotheses, Prepare(references));

    /// <inheritdoc cref="LineStatistics(IReadOnlyList{string}, References)"/>
    public double[] LineStatistics(IReadOnlyList<string> hypotheses, PreparedReferences references)
    {
        if (!ReferenceEquals(references.Metric, this)) throw new ArgumentException("the references were prepared by another metric");
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"{hypotheses.Count} hypotheses but {references.Count} reference lines");
        int k = StatCount;
        var stats = new double[hypotheses.Count * k];
        ForEachLine(hypotheses.Count, (worker, i) => worker.Statistics(hypotheses[i], references[i], stats.AsSpan(i * k, k)));
        return stats;
    }

    /// <summary>Lines 0..<paramref name="count"/> in parallel chunks, each chunk with a worker of its thread.</summary>
    void ForEachLine(int count, Action<LineWorker, int> action)
    {
        const int chunk = 256;
        int chunks = (count + chunk - 1) / chunk;
        Parallel.For(0, chunks, CreateWorker, (c, _, worker) =>
        {
            for (int i = c * chunk, end = Math.Min(count, i + chunk); i < end; i++) action(worker, i);
            return worker;
        }, _ => { });
    }

    public static double[] Sum(ReadOnlySpan<double> lineStats, int statCount)
    {
        var totals = new double[statCount];
        for (int i = 0; i < lineStats.Length; i++) totals[i % statCount] += lineStats[i];
        return totals;
    }

    public IMetricScore Corpus(IReadOnlyList<string> hypotheses, References references) => Corpus(hypotheses, Prepare(references));

    public IMetricScore Corpus(IReadOnlyList<string> hypotheses, PreparedReferences references) =>
        FromStatistics(Sum(LineStatistics(hypotheses, references), StatCount), references.NRefs);

    public IMetricScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        Corpus(hypotheses, new References(referenceStreams));

    /// <summary>One score per line (sentence-level scoring).</summary>
    public IReadOnlyList<IMetricScore> Sentences(IReadOnlyList<string> hypotheses, References references) => Sentences(hypotheses, Prepare(references));

    /// <inheritdoc cref="Sentences(IReadOnlyList{string}, References)"/>
    public IReadOnlyList<IMetricScore> Sentences(IReadOnlyList<string> hypotheses, PreparedReferences references)
    {
        var stats = LineStatistics(hypotheses, references);
        int k = StatCount;
        return Enumerable.Range(0, hypotheses.Count)
            .Select(i => FromStatistics(stats.AsSpan(i * k, k), references[i].Count.ToString())).ToArray();
    }
}
