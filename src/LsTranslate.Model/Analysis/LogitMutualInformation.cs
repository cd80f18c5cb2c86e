using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// The paper's estimate (Müller et al. 2019, Section 5, Figure 7) of the mutual information I(X;Y) between
/// X, the index of a training example drawn uniformly from N, and Y, the difference of two logits of the
/// network on an augmented copy of that example.
///
/// Y given X = x is taken to be Gaussian N(μ_x, σ²): μ_x is the mean of Y over the example's L augmented
/// copies and σ² the within-example variance pooled over all examples (Σ_x Σ_l (y_xl − μ_x)² / (N(L−1))).
/// Then I = E[log p(y|x) − log (1/N Σ_x' p(y|x'))], and the paper evaluates the expectation over y at its
/// mean y = μ_x (the Gaussian constants cancel because σ² is shared):
///
///     I ≈ log N − (1/N) Σ_x log Σ_x' exp(−(μ_x − μ_x')² / (2σ²)).
///
/// We use this plug-in form rather than a Monte Carlo estimate of H(Y) for the mixture: it is deterministic
/// and bounded by construction. The x' = x term is exp(0) = 1 and every term is at most 1, so each inner sum
/// lies in [1, N] and I in [0, log N]: log N when the examples' clusters are far apart relative to σ (Y
/// identifies the example), 0 when all means coincide (Y says nothing about which example it came from),
/// and log 2 when Y only tells the two classes apart. Because the bound holds by construction nothing is
/// clamped; float rounding can move the result past an end by a last-digit amount (about 1e-16) at most.
/// </summary>
public static class LogitMutualInformation
{
    /// <summary>Below this pooled variance the copies are taken as exact repeats (no augmentation noise).</summary>
    public const double MinVariance = 1e-12;

    /// <summary>I(X;Y) in nats from Y samples [N,L]: N examples, L ≥ 2 augmented copies each.</summary>
    public static double Estimate(Tensor samples)
    {
        if (samples.dim() != 2 || samples.shape[0] < 1 || samples.shape[1] < 2)
            throw new ArgumentException($"need samples [N,L] with N ≥ 1 and L ≥ 2 copies, got [{string.Join(",", samples.shape)}]");
        using var scope = NewDisposeScope();
        var y = samples.detach().to(float64).cpu();
        long n = y.shape[0];
        var means = y.mean([1L]);
        double pooledVariance = Math.Max(y.var(1, unbiased: true).mean().item<double>(), MinVariance);
        var squaredGaps = (means.unsqueeze(1) - means.unsqueeze(0)).square();
        var logSums = (-squaredGaps / (2 * pooledVariance)).logsumexp(1);
        return Math.Log(n) - logSums.mean().item<double>();
    }
}
