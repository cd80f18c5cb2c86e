using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Losses;

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

    /// <summary>The smoothed mean loss plus the plain NLL sum and the count of real positions, for autograd (the image classifiers).</summary>
    public static SoftTargetLossParts Compute(Tensor logits, Tensor targets, double alpha, long ignoreIndex = -100)
    {
        SoftTargetCrossEntropy.CheckShapes(logits, targets);
        CheckAlpha(alpha);
        using var scope = NewDisposeScope();
        var real = targets.ne(ignoreIndex);
        var safeTargets = targets.masked_fill(real.logical_not(), 0);
        var logSumExp = logits.logsumexp(-1, keepdim: true);
        var perRow = PerRow(logits, logSumExp, safeTargets, alpha);
        var nll = alpha == 0 ? perRow : PerRow(logits, logSumExp, safeTargets, 0);
        var realFloat = real.to(perRow.dtype);
        var count = realFloat.sum();
        var loss = (perRow * realFloat).sum() / count.clamp_min(1);
        var nllSum = (nll * realFloat).sum().detach();
        return new SoftTargetLossParts(loss, nllSum, count.detach()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss of each row, the one place it is written: with z the logits and lse their log-sum-exp, −log p_y = lse − z_y
    /// and the mean of −log p over the classes is lse − mean(z), mixed (1−α, α): lse − (1−α)·z_y − α·mean(z). No [N,K]
    /// log-probabilities or target are formed. <see cref="Compute"/> averages it for autograd (the image classifiers);
    /// <see cref="ChunkedSmoothedLoss"/> sums it chunk by chunk, with its gradient in closed form (translation).
    /// </summary>
    /// <param name="logits">z [N,K].</param>
    /// <param name="logSumExp">lse [N,1].</param>
    /// <param name="targets">[N] int64, every one a class (no padding).</param>
    public static Tensor PerRow(Tensor logits, Tensor logSumExp, Tensor targets, double alpha)
    {
        var gold = logits.gather(1, targets.unsqueeze(1)).squeeze(1);
        var perRow = logSumExp.squeeze(1) - gold * (1 - alpha);
        return alpha == 0 ? perRow : perRow - logits.mean([-1L]) * alpha;
    }

    internal static void CheckAlpha(double alpha)
    {
        if (alpha < 0 || alpha > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "label smoothing must lie in [0, 1]");
    }
}
