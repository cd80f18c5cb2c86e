using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// Temperature scaling (Guo et al. 2017): logits are divided by one scalar T fitted on held-out data
/// by minimising the negative log-likelihood.
/// </summary>
public static class TemperatureScaling
{
    const double MinTemperature = 0.05;
    const double MaxTemperature = 20.0;
    /// <summary>
    /// Rows per slice of a set's logits (~30k × 8k floats for a translation test set). A slice's temporaries
    /// (256 × 8k floats, 8 MB) stay under the mmap threshold <see cref="Native.HeapRetention"/> sets (32 MB), so they
    /// reuse heap pages: 2048-row slices were mapped and zeroed afresh by the kernel each time, and one NLL
    /// evaluation of a fit took 4–11 s instead of 0.4 s here.
    /// </summary>
    public const long Chunk = 256;

    /// <summary>
    /// Rows [start, start + length) of logits divided by T, at least in float32: logits kept in bf16 or fp16 to save memory
    /// (<c>TeacherForcedLogits</c>) are read back a slice at a time, so that log-sum-exp and softmax run in float32.
    /// </summary>
    public static Tensor Slice(Tensor logits, long start, long length, double temperature)
    {
        var slice = logits.detach().narrow(0, start, length);
        if (slice.dtype is ScalarType.BFloat16 or ScalarType.Float16) slice = slice.to(ScalarType.Float32);
        return slice / temperature;
    }

    /// <summary>Mean NLL of softmax(logits/T) at the gold labels; logits [N,K], labels [N] int64.</summary>
    public static double Nll(Tensor logits, Tensor labels, double temperature)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        using var _ = no_grad();
        long n = logits.shape[0];
        double sum = 0;
        for (long start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(Chunk, n - start);
            var scaled = Slice(logits, start, length, temperature);
            var gold = labels.narrow(0, start, length).to(scaled.device).unsqueeze(1);
            var nll = scaled.logsumexp(1) - scaled.gather(1, gold).squeeze(1);
            sum += nll.to(float64).sum().item<double>();
        }
        return sum / n;
    }

    /// <summary>
    /// The T in [0.05, 20] minimising NLL. NLL is unimodal in log T for fixed logits (convex in 1/T),
    /// so a golden-section search on log T finds it without gradients or a learning rate.
    /// </summary>
    public static double Fit(Tensor logits, Tensor labels)
    {
        double Objective(double logT) => Nll(logits, labels, Math.Exp(logT));

        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(MinTemperature), b = Math.Log(MaxTemperature);
        double c = b - invPhi * (b - a), d = a + invPhi * (b - a);
        double fc = Objective(c), fd = Objective(d);
        while (b - a > 1e-5)
        {
            if (fc < fd) { b = d; d = c; fd = fc; c = b - invPhi * (b - a); fc = Objective(c); }
            else { a = c; c = d; fc = fd; d = a + invPhi * (b - a); fd = Objective(d); }
        }
        return Math.Exp((a + b) / 2);
    }
}
