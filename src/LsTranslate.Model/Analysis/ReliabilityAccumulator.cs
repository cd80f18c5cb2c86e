using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>One reliability bin: confidences in (Lower, Upper], their accuracy and mean confidence.</summary>
public sealed record ReliabilityBin(double Lower, double Upper, long Count, double Accuracy, double Confidence);

/// <summary>
/// Expected calibration error over a stream of batches: equal-width bins (lower, upper] on top-1
/// confidence, ECE = Σ_b |B_b|/n · |acc(B_b) − conf(B_b)| (Guo et al. 2017; 15 bins as in Müller et al.).
/// Only per-bin sums are kept, so the stream can be as long as a test set of tokens.
/// Confidence 0 falls into the first bin.
/// </summary>
public sealed class ReliabilityAccumulator
{
    readonly int bins;
    readonly double[] counts;
    readonly double[] correctSums;
    readonly double[] confidenceSums;

    public ReliabilityAccumulator(int bins = 15)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "need at least one bin");
        this.bins = bins;
        counts = new double[bins];
        correctSums = new double[bins];
        confidenceSums = new double[bins];
    }

    /// <summary>Adds a batch of logits [N,K] with gold labels [N]; confidence is the top-1 of softmax(logits/T).</summary>
    public void Add(Tensor logits, Tensor labels, double temperature = 1.0)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        using var noGrad = no_grad();
        for (long start = 0; start < logits.shape[0]; start += TemperatureScaling.Chunk)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(TemperatureScaling.Chunk, logits.shape[0] - start);
            var scaled = TemperatureScaling.Slice(logits, start, length, temperature);
            // Top-1 softmax probability without materialising the softmax: exp(max − logsumexp).
            var (top, predicted) = scaled.max(-1L, keepdim: false);
            var confidence = (top.to(float64) - scaled.logsumexp(1).to(float64)).exp();
            Add(confidence, predicted.eq(labels.narrow(0, start, length).to(predicted.device)));
        }
    }

    /// <summary>
    /// Adds a batch of top-1 confidences [N] and whether each prediction was right [N]. C# binds
    /// Add(logits, labels) without a temperature to this overload, so a 2-D first argument is read as
    /// logits [N,K] with labels at temperature 1.
    /// </summary>
    public void Add(Tensor confidence, Tensor correct)
    {
        if (confidence.dim() == 2)
        {
            Add(confidence, correct, 1.0);
            return;
        }
        if (confidence.shape.Length != 1 || correct.shape.Length != 1 || confidence.shape[0] != correct.shape[0])
            throw new ArgumentException("confidence and correct must both be [N] with the same N");
        using var scope = NewDisposeScope();
        var conf = confidence.detach().to(float64).cpu();
        var right = correct.detach().to(float64).cpu();
        // Inner edges 1/B … (B−1)/B; bucketize with right=false puts x in bin i when edge[i−1] < x ≤ edge[i].
        var edges = linspace(0, 1, bins + 1, dtype: float64)[TensorIndex.Slice(1, bins)];
        var index = bucketize(conf, edges);
        Accumulate(counts, index, ones_like(conf));
        Accumulate(correctSums, index, right);
        Accumulate(confidenceSums, index, conf);
    }

    void Accumulate(double[] into, Tensor binIndex, Tensor values)
    {
        var perBin = zeros(bins, dtype: float64).index_add_(0, binIndex, values, 1).data<double>().ToArray();
        for (int b = 0; b < into.Length; b++) into[b] += perBin[b];
    }

    public long Count => (long)counts.Sum();

    public double Accuracy => Count == 0 ? double.NaN : correctSums.Sum() / counts.Sum();

    public double Ece
    {
        get
        {
            double n = counts.Sum();
            if (n == 0) return double.NaN;
            double ece = 0;
            for (int b = 0; b < bins; b++)
                if (counts[b] > 0) ece += Math.Abs(correctSums[b] - confidenceSums[b]) / n;
            return ece;
        }
    }

    public IReadOnlyList<ReliabilityBin> Bins() =>
        Enumerable.Range(0, bins).Select(b => new ReliabilityBin(
            Lower: (double)b / bins,
            Upper: (double)(b + 1) / bins,
            Count: (long)counts[b],
            Accuracy: counts[b] > 0 ? correctSums[b] / counts[b] : double.NaN,
            Confidence: counts[b] > 0 ? confidenceSums[b] / counts[b] : double.NaN)).ToList();
}
