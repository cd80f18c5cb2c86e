using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Losses;

/// <summary>
/// The three pieces of a label-smoothed loss over one batch. <see cref="Loss"/> carries gradients;
/// <see cref="NllSum"/> (plain negative log-likelihood of the gold class, summed) and
/// <see cref="Count"/> (positions that are not padding) are detached, so callers can log the
/// unsmoothed loss per token without a second pass and without a device sync per batch.
/// </summary>
public sealed record LabelSmoothedLossParts(Tensor Loss, Tensor NllSum, Tensor Count) : IDisposable
{
    public void Dispose()
    {
        Loss.Dispose();
        NllSum.Dispose();
        Count.Dispose();
    }
}

/// <summary>
/// Cross entropy against smoothed targets y(1−α) + α/K over all K classes, gold included (Szegedy et al.;
/// the convention of Müller et al. 2019). Positions whose target equals ignoreIndex (padding) never count.
/// </summary>
public static class LabelSmoothedCrossEntropy
{
    /// <summary>Mean smoothed loss over non-ignored positions; logits [N,K], targets [N] int64.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, double alpha, long ignoreIndex = -100)
    {
        using var scope = NewDisposeScope();
        var parts = Compute(logits, targets, alpha, ignoreIndex);
        return parts.Loss.MoveToOuterDisposeScope();
    }

    /// <summary>The smoothed mean loss plus the plain NLL sum and the count of real positions.</summary>
    public static LabelSmoothedLossParts Compute(Tensor logits, Tensor targets, double alpha, long ignoreIndex = -100)
    {
        if (logits.dim() != 2) throw new ArgumentException($"logits must be [N,K], got [{string.Join(",", logits.shape)}]");
        if (targets.dim() != 1 || targets.shape[0] != logits.shape[0])
            throw new ArgumentException($"targets must be [N] with N = {logits.shape[0]}, got [{string.Join(",", targets.shape)}]");
        if (alpha < 0 || alpha > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "label smoothing must lie in [0, 1]");

        using var scope = NewDisposeScope();
        var logProbs = nn.functional.log_softmax(logits, -1);
        var real = targets.ne(ignoreIndex);
        var safeTargets = targets.masked_fill(real.logical_not(), 0);
        var nll = -logProbs.gather(1, safeTargets.unsqueeze(1)).squeeze(1);
        // α/K on every class, gold included: the uniform part of the loss is the mean of −log p over classes.
        var uniform = -logProbs.mean([-1L]);
        var perPosition = nll * (1 - alpha) + uniform * alpha;
        var realFloat = real.to(perPosition.dtype);
        var count = realFloat.sum();
        var loss = (perPosition * realFloat).sum() / count.clamp_min(1);
        var nllSum = (nll * realFloat).sum().detach();
        return new LabelSmoothedLossParts(
            loss.MoveToOuterDisposeScope(),
            nllSum.MoveToOuterDisposeScope(),
            count.detach().MoveToOuterDisposeScope());
    }
}
