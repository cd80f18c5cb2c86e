using LsTranslate.Metrics;

namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// Paired bootstrap over test sentences for any corpus-level measure: resamples of sentence indices drawn once, seeded,
/// and every measure of every model and temperature recomputed on the same resamples, so that a difference of two
/// measures is resampled pair by pair. The draws are PairedBootstrap's (same seed, same order), so a BLEU interval comes
/// from the very resamples its p-value does. A resample is kept as how often it drew each sentence.
/// </summary>
public sealed class SentenceBootstrap
{
    readonly int[][] draws;

    public SentenceBootstrap(int sentences, int samples = PairedBootstrap.DefaultSamples, int seed = PairedBootstrap.DefaultSeed)
    {
        if (sentences < 1) throw new ArgumentException("a bootstrap needs at least one sentence");
        if (samples < 1) throw new ArgumentException("at least one bootstrap sample is needed");
        var random = new Random(seed);
        draws = new int[samples][];
        for (int s = 0; s < samples; s++)
        {
            draws[s] = new int[sentences];
            for (int i = 0; i < sentences; i++) draws[s][random.Next(sentences)]++;
        }
        Sentences = sentences;
    }

    public int Sentences { get; }
    public int Samples => draws.Length;

    /// <summary>Mean NLL per token in each resample.</summary>
    public double[] Nll(SentenceCalibration calibration, int[] tokens) =>
        Each(counts => Weighted(counts, calibration.NllSums) / Weighted(counts, tokens));

    /// <summary>ECE in each resample: its tokens' per-bin gaps summed, |·| per bin, over its token count.</summary>
    public double[] Ece(SentenceCalibration calibration, int[] tokens) => Each(counts =>
    {
        int bins = calibration.BinGaps.Length == 0 ? 0 : calibration.BinGaps[0].Length;
        var gap = new double[bins];
        for (int i = 0; i < counts.Length; i++)
            if (counts[i] > 0)
                for (int b = 0; b < bins; b++) gap[b] += counts[i] * calibration.BinGaps[i][b];
        return gap.Sum(Math.Abs) / Weighted(counts, tokens);
    });

    /// <summary>A text metric in each resample, from per-sentence statistics (TextMetric.LineStatistics, a row of zeros for a sentence not scored).</summary>
    public double[] Metric(TextMetric metric, double[] lineStatistics, string nrefs) => Each(counts =>
    {
        int k = metric.StatCount;
        var totals = new double[k];
        for (int i = 0; i < counts.Length; i++)
            if (counts[i] > 0)
                for (int j = 0; j < k; j++) totals[j] += counts[i] * lineStatistics[i * k + j];
        return metric.FromStatistics(totals, nrefs).Score;
    });

    /// <summary>
    /// The 95 % percentile interval: the order statistics n/40 in from each end of the sorted values, as PairedBootstrap
    /// (and sacreBLEU) take them.
    /// </summary>
    public static Interval Percentiles(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to take an interval of");
        var sorted = values.Order().ToArray();
        int lower = sorted.Length / 40;
        return new Interval(sorted[lower], sorted[sorted.Length - lower - 1]);
    }

    /// <summary>Resample by resample, <paramref name="a"/> − <paramref name="b"/>.</summary>
    public static double[] Difference(double[] a, double[] b) => a.Zip(b, (x, y) => x - y).ToArray();

    double[] Each(Func<int[], double> measure)
    {
        var values = new double[draws.Length];
        Parallel.For(0, draws.Length, s => values[s] = measure(draws[s]));
        return values;
    }

    static double Weighted(int[] counts, double[] values)
    {
        double sum = 0;
        for (int i = 0; i < counts.Length; i++) sum += counts[i] * values[i];
        return sum;
    }

    static double Weighted(int[] counts, int[] values)
    {
        double sum = 0;
        for (int i = 0; i < counts.Length; i++) sum += (double)counts[i] * values[i];
        return sum;
    }
}
