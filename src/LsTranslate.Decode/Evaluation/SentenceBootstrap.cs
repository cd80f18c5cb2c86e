using LsTranslate.Metrics;

namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// Paired bootstrap over test sentences for the calibration measures (NLL, ECE) beside the text metrics, all on one set
/// of <see cref="BootstrapResamples"/>, so that a BLEU interval comes from the very resamples its p-value does.
/// </summary>
public sealed class SentenceBootstrap(BootstrapResamples resamples)
{
    public SentenceBootstrap(int sentences, int samples = BootstrapResamples.DefaultSamples, int seed = BootstrapResamples.DefaultSeed)
        : this(new BootstrapResamples(sentences, samples, seed)) { }

    public int Sentences => resamples.Lines;
    public int Samples => resamples.Samples;

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
    public double[] Metric(TextMetric metric, double[] lineStatistics) => resamples.Metric(metric, lineStatistics);

    /// <summary>The 95 % percentile interval of <see cref="BootstrapResamples.Percentiles"/>, as an <see cref="Interval"/>.</summary>
    public static Interval Percentiles(IReadOnlyCollection<double> values)
    {
        var (low, high) = BootstrapResamples.Percentiles(values);
        return new Interval(low, high);
    }

    /// <summary>Resample by resample, <paramref name="a"/> − <paramref name="b"/>.</summary>
    public static double[] Difference(double[] a, double[] b) => a.Zip(b, (x, y) => x - y).ToArray();

    double[] Each(Func<int[], double> measure) => resamples.Each(measure);

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
