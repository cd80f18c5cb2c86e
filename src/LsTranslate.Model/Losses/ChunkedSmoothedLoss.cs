using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Losses;

/// <summary>The summed loss of some rows and its gradients, to be scaled by whatever the rows' loss is divided by.</summary>
/// <param name="LossSum">float64 scalar: the smoothed loss summed over the rows.</param>
/// <param name="FeatureGrad">[N,D] float32: d LossSum / d features.</param>
/// <param name="WeightGrad">[V,D] float32: d LossSum / d weight.</param>
/// <param name="BiasGrad">[V] float32: d LossSum / d bias; null without a bias.</param>
public sealed record LossAndGradients(Tensor LossSum, Tensor FeatureGrad, Tensor WeightGrad, Tensor? BiasGrad);

/// <summary>
/// The label-smoothed cross entropy (<see cref="LabelSmoothedCrossEntropy.PerRow"/>, the one definition) of an output projection
/// logits = features · weightᵀ (+ bias), with its gradients, a chunk of rows at a time: the [N,V] logits, their
/// log-softmax and its gradient never exist whole. Training needs the gradient of the loss only, so it is
/// formed here in closed form — softmax(z) − (1−α)·onehot(y) − α/V per row — instead of by autograd through
/// log-softmax, gather and mean (which held four [N,V] float32 tensors, each a fresh page-faulted allocation).
/// Products run in the given product type (bf16 halves their cost); the log-sum-exp, softmax and sums
/// stay float32.
/// </summary>
public static class ChunkedSmoothedLoss
{
    /// <summary>Rows per chunk: 512 × 8,000 float32 logits are 16 MB, small enough for the allocator to reuse.</summary>
    public const int DefaultChunkRows = 512;

    /// <param name="features">[N,D] rows that all count (padding removed beforehand); their grad is not tracked here.</param>
    /// <param name="weight">[V,D] the projection, float32.</param>
    /// <param name="bias">[V] float32, added to the logits in float32; null: none.</param>
    /// <param name="targets">[N] int64 gold classes.</param>
    public static LossAndGradients Compute(Tensor features, Tensor weight, Tensor? bias, Tensor targets, double alpha, ScalarType productType,
        int chunkRows = DefaultChunkRows)
    {
        SoftTargetCrossEntropy.CheckShapes(features, targets);
        LabelSmoothedCrossEntropy.CheckAlpha(alpha);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long rows = features.shape[0], classes = weight.shape[0];
        var w = weight.detach().to(productType);
        var h = features.detach().to(productType);
        var lossSum = zeros(1, dtype: ScalarType.Float64, device: features.device);
        var featureGrad = empty(rows, features.shape[1], dtype: ScalarType.Float32, device: features.device);
        var weightGrad = zeros(weight.shape, dtype: ScalarType.Float32, device: features.device);
        var b = bias?.detach();
        var biasGrad = b is null ? null : zeros(b.shape, dtype: ScalarType.Float32, device: features.device);
        for (long start = 0; start < rows; start += chunkRows)
        {
            using var chunkScope = NewDisposeScope();
            long n = Math.Min(chunkRows, rows - start);
            var hc = h.narrow(0, start, n);
            var y = targets.narrow(0, start, n).unsqueeze(1);
            var z = hc.matmul(w.t()).to(ScalarType.Float32);
            if (b is not null) z.add_(b);
            var logSumExp = z.logsumexp(-1, keepdim: true);
            lossSum.add_(LabelSmoothedCrossEntropy.PerRow(z, logSumExp, y.squeeze(1), alpha).sum().to(ScalarType.Float64));
            var gradLogits = z.sub_(logSumExp).exp_();
            if (alpha > 0) gradLogits.sub_(alpha / classes);
            gradLogits.scatter_add_(1, y, full(n, 1, -(1 - alpha), dtype: ScalarType.Float32, device: z.device));
            var g = gradLogits.to(productType);
            featureGrad.narrow(0, start, n).copy_(g.matmul(w));
            weightGrad.add_(g.t().matmul(hc));
            biasGrad?.add_(gradLogits.sum(dim: 0L));
        }
        return new LossAndGradients(lossSum.MoveToOuterDisposeScope(), featureGrad.MoveToOuterDisposeScope(), weightGrad.MoveToOuterDisposeScope(),
            biasGrad?.MoveToOuterDisposeScope());
    }
}
