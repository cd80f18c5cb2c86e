using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Losses;

/// <summary>
/// The pieces of a loss over one batch. <see cref="Loss"/> carries gradients; <see cref="NllSum"/> (plain
/// negative log-likelihood of the gold class, summed) and <see cref="Count"/> (positions that are not
/// padding) are detached, so callers can log the unsmoothed loss without a second pass or a device sync per batch.
/// </summary>
public sealed record SoftTargetLossParts(Tensor Loss, Tensor NllSum, Tensor Count) : IDisposable
{
    /// <summary>Moves all three tensors to the dispose scope around the current one.</summary>
    public SoftTargetLossParts MoveToOuterDisposeScope()
    {
        Loss.MoveToOuterDisposeScope();
        NllSum.MoveToOuterDisposeScope();
        Count.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Loss.Dispose();
        NllSum.Dispose();
        Count.Dispose();
    }
}

/// <summary>
/// Cross entropy against a soft target distribution q, H(q, p) = −Σ_k q_k log p_k: the maths that label
/// smoothing and distillation share. Both targets are a mixture (1−w)·y + w·q of the one-hot gold label y
/// and a soft distribution q (uniform for label smoothing, the teacher's tempered softmax for distillation),
/// and cross entropy is linear in its target, so the loss is (1−w)·H(y, p) + w·H(q, p). <see cref="Mix"/> is that for
/// distillation; for q uniform H(q, p) has a closed form, and label smoothing is computed from it
/// (<see cref="LabelSmoothedCrossEntropy.PerRow"/>).
/// </summary>
public static class SoftTargetCrossEntropy
{
    /// <summary>H(q, p) per row: target probabilities q [N,K] against log-probabilities log p [N,K]; returns [N].</summary>
    public static Tensor PerRow(Tensor targetProbs, Tensor logProbs) => -(targetProbs * logProbs).sum(-1);

    /// <summary>
    /// (1−w)·H(y, p) + w·soft per position, averaged over positions whose target is not
    /// <paramref name="ignoreIndex"/>, with the plain NLL sum and the count of real positions.
    /// </summary>
    /// <param name="logProbs">log p [N,K] of the model being trained.</param>
    /// <param name="targets">gold classes [N] int64.</param>
    /// <param name="weight">w in [0, 1]: the share of the soft term.</param>
    /// <param name="softPerRow">the soft term per position [N], e.g. <see cref="PerRow"/>.</param>
    public static SoftTargetLossParts Mix(Tensor logProbs, Tensor targets, double weight, Tensor softPerRow, long ignoreIndex = -100)
    {
        CheckShapes(logProbs, targets);
        using var scope = NewDisposeScope();
        var real = targets.ne(ignoreIndex);
        var safeTargets = targets.masked_fill(real.logical_not(), 0);
        var nll = -logProbs.gather(1, safeTargets.unsqueeze(1)).squeeze(1);
        var perPosition = weight == 0 ? nll : nll * (1 - weight) + softPerRow * weight;
        var realFloat = real.to(perPosition.dtype);
        var count = realFloat.sum();
        var loss = (perPosition * realFloat).sum() / count.clamp_min(1);
        var nllSum = (nll * realFloat).sum().detach();
        return new SoftTargetLossParts(loss, nllSum, count.detach()).MoveToOuterDisposeScope();
    }

    /// <summary>Logits or log-probabilities [N,K] and targets [N] with the same N.</summary>
    public static void CheckShapes(Tensor logits, Tensor targets)
    {
        if (logits.dim() != 2) throw new ArgumentException($"logits must be [N,K], got [{string.Join(",", logits.shape)}]");
        if (targets.dim() != 1 || targets.shape[0] != logits.shape[0])
            throw new ArgumentException($"targets must be [N] with N = {logits.shape[0]}, got [{string.Join(",", targets.shape)}]");
    }
}
