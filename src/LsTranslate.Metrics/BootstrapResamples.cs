namespace LsTranslate.Metrics;

/// <summary>
/// Resamples of a test set's lines for paired bootstrap tests (sacreBLEU's scheme, after Koehn 2004): drawn once from a
/// seeded stream, so that every measure of every system is computed on the same resamples and the difference of two
/// measures is resampled pair by pair. A resample is kept as how often it drew each line. <see cref="PairedBootstrap"/>'s
/// p-values and `reproduce translation`'s intervals both come from these draws (same seed, same resamples). The draws are
/// numpy's <c>default_rng(seed).choice(lines, size=(samples, lines))</c>, as sacreBLEU makes them (<see cref="NumpyRandom"/>),
/// so a seed gives sacreBLEU's very resamples.
/// </summary>
public sealed class BootstrapResamples
{
    public const int DefaultSamples = 1000;
    public const int DefaultSeed = 12345;

    /// <summary>The random stream the resamples come from, for cache keys: the same seed gave other resamples before.</summary>
    public const string Stream = "numpy default_rng (PCG64)";

    readonly int[][] counts;

    public BootstrapResamples(int lines, int samples = DefaultSamples, int seed = DefaultSeed)
    {
        if (lines < 1) throw new ArgumentException("a bootstrap needs at least one line");
        if (samples < 1) throw new ArgumentException("at least one bootstrap sample is needed");
        var random = new NumpyRandom(seed);
        counts = new int[samples][];
        for (int s = 0; s < samples; s++)
        {
            counts[s] = new int[lines];
            for (int i = 0; i < lines; i++) counts[s][random.Below(lines)]++;
        }
        Lines = lines;
    }

    public int Lines { get; }
    public int Samples => counts.Length;

    /// <summary>A measure of each resample, given how often the resample drew each line.</summary>
    public double[] Each(Func<int[], double> measure)
    {
        var values = new double[counts.Length];
        Parallel.For(0, counts.Length, s => values[s] = measure(counts[s]));
        return values;
    }

    /// <summary>A text metric in each resample, from per-line statistics (TextMetric.LineStatistics).</summary>
    public double[] Metric(TextMetric metric, double[] lineStatistics) => Each(drawn =>
    {
        int k = metric.StatCount;
        var totals = new double[k];
        for (int i = 0; i < drawn.Length; i++)
            if (drawn[i] > 0)
                for (int j = 0; j < k; j++) totals[j] += drawn[i] * lineStatistics[i * k + j];
        return metric.ResampledScore(totals);
    });

    /// <summary>The 95 % percentile interval: the order statistics n/40 in from each end of the sorted values (sacreBLEU's estimate_ci).</summary>
    public static (double Low, double High) Percentiles(IReadOnlyCollection<double> values) => PercentilesOfSorted(Sorted(values));

    /// <summary>sacreBLEU's estimate_ci: numpy's mean of the sorted values, and half the width of the 95 % interval.</summary>
    public static (double Mean, double HalfWidth) MeanAndHalfWidth(IReadOnlyCollection<double> values)
    {
        var sorted = Sorted(values);
        var (low, high) = PercentilesOfSorted(sorted);
        return (NumpySum.Mean(sorted), 0.5 * (high - low));
    }

    static double[] Sorted(IReadOnlyCollection<double> values) =>
        values.Count > 0 ? values.Order().ToArray() : throw new ArgumentException("no values to take an interval of");

    static (double Low, double High) PercentilesOfSorted(double[] sorted)
    {
        int lower = sorted.Length / 40;
        return (sorted[lower], sorted[sorted.Length - lower - 1]);
    }
}
