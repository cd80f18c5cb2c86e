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

    /// <summary>The smoothed mean loss plus the plain NLL sum and the count of real positions.</summary>
    public static SoftTargetLossParts Compute(Tensor logits, Tensor targets, double alpha, long ignoreIndex = -100)
    {
        SoftTargetCrossEntropy.CheckShapes(logits, targets);
        if (alpha < 0 || alpha > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "label smoothing must lie in [0, 1]");

        using var scope = NewDisposeScope();
        var logProbs = nn.functional.log_softmax(logits, -1);
        // H(uniform, p) is the mean of −log p over the classes: the closed form of SoftTargetCrossEntropy.PerRow
        // for q = 1/K, without building a [N,K] target (translation vocabularies make that large).
        var uniform = -logProbs.mean([-1L]);
        return SoftTargetCrossEntropy.Mix(logProbs, targets, alpha, uniform, ignoreIndex).MoveToOuterDisposeScope();
    }
}
