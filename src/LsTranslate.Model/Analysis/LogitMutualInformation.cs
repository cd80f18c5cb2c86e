using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// The paper's estimate (Müller et al. 2019, Section 5, Figure 7) of the mutual information I(X;Y) between
/// X, the index of a training example drawn uniformly from N, and Y, the difference of two logits of the
/// network on a randomly augmented copy of that example.
///
/// Y given X = x is taken to be Gaussian N(μ_x, σ²): μ_x is the mean of Y over the example's L augmented
/// copies and σ² the within-example variance pooled over all examples (Σ_x Σ_l (y_xl − μ_x)² / (N(L−1))).
/// Then I = E[log p(y|x) − log (1/N Σ_x' p(y|x'))], and the expectation over Y is taken over the augmented
/// copies themselves, as in the paper (the Gaussian constants cancel because σ² is shared):
///
///     I ≈ log N + (1/NL) Σ_x Σ_l [ −(y_xl − μ_x)² / (2σ²) − log Σ_x' exp(−(y_xl − μ_x')² / (2σ²)) ].
///
/// The bracket is at most 0 (the x' = x term of the sum is the first term's exponential), so I ≤ log N holds
/// by construction: log N when the examples' clusters are far apart relative to σ (Y identifies the example),
/// log 2 when Y only tells the two classes apart, and exactly 0 when all means coincide. The true I is never
/// negative, but a Monte Carlo average over a few copies can fall a hair below 0 when the clusters overlap
/// almost completely; that sampling error is clamped to 0 so the curve keeps to [0, log N].
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
        var means = y.mean([1L], keepdim: true);
        double twoVariance = 2 * Math.Max(y.var(1, unbiased: true).mean().item<double>(), MinVariance);
        var own = -(y - means).square() / twoVariance;
        var all = -(y.unsqueeze(2) - means.view(1, 1, n)).square() / twoVariance;
        double information = Math.Log(n) + (own - all.logsumexp(2)).mean().item<double>();
        return Math.Max(0, information);
    }
}
