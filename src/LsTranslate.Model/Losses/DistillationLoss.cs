using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Losses;

/// <summary>
/// Knowledge distillation as Müller et al. (2019, Section 5) write it:
/// (1−β)·H(y, p) + β·H(p_teacher(T), p(T)), where p(T) = softmax(logits / T) for both networks.
/// Unlike Hinton et al. (2015) the soft term is not multiplied by T²: we keep the paper's formula as it is
/// written. The factor only rescales the soft term's gradients (which shrink like 1/T²); at β = 1, the
/// paper's setting, it acts as a learning-rate change, which Adam largely undoes. Students are evaluated
/// at T = 1. The teacher logits are taken as constants (no gradient flows into the teacher).
/// </summary>
public static class DistillationLoss
{
    /// <summary>Rejects β outside [0, 1] and T ≤ 0 with an <see cref="InputError"/> naming the option.</summary>
    public static void Validate(double beta, double temperature)
    {
        if (!(beta >= 0 && beta <= 1)) throw new InputError($"--beta: {beta} is outside [0, 1]");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new InputError($"--temperature: must be positive and finite, got {temperature}");
    }

    /// <summary>
    /// The mean distillation loss, the plain NLL sum and the count; student and teacher logits [N,K], labels [N].
    /// Positions whose label equals ignoreIndex never count.
    /// </summary>
    public static SoftTargetLossParts Compute(Tensor studentLogits, Tensor teacherLogits, Tensor labels, double beta, double temperature,
        long ignoreIndex = -100)
    {
        Validate(beta, temperature);
        SoftTargetCrossEntropy.CheckShapes(studentLogits, labels);
        if (!teacherLogits.shape.SequenceEqual(studentLogits.shape))
            throw new ArgumentException($"teacher logits [{string.Join(",", teacherLogits.shape)}] differ from student logits [{string.Join(",", studentLogits.shape)}]");

        using var scope = NewDisposeScope();
        var logProbs = nn.functional.log_softmax(studentLogits, -1);
        var teacherProbs = nn.functional.softmax(teacherLogits.detach().to(studentLogits.dtype) / temperature, -1);
        var soft = SoftTargetCrossEntropy.PerRow(teacherProbs, nn.functional.log_softmax(studentLogits / temperature, -1));
        return SoftTargetCrossEntropy.Mix(logProbs, labels, beta, soft, ignoreIndex).MoveToOuterDisposeScope();
    }
}
