using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// The label-smoothing factor a teacher's soft targets amount to (Müller et al. 2019, Section 5):
/// γ = E[Σ_k (1−y_k) p_teacher,k(T)] · K/(K−1), the probability mass the tempered teacher puts off the
/// gold class, rescaled so that label smoothing with α has γ = α (it puts α(K−1)/K off the gold class).
/// A one-hot teacher has γ = 0, a uniform one γ = 1; γ ≤ K/(K−1), above 1 only for a teacher that gives
/// the gold class less than 1/K. This lets students of teachers at different T and
/// students trained with label smoothing share one axis.
/// </summary>
public static class EquivalentSmoothing
{
    /// <summary>γ of teacher logits [N,K] on examples with gold labels [N] at temperature T.</summary>
    public static double Gamma(Tensor teacherLogits, Tensor labels, double temperature)
    {
        if (teacherLogits.dim() != 2 || labels.dim() != 1 || labels.shape[0] != teacherLogits.shape[0])
            throw new ArgumentException("need teacher logits [N,K] and labels [N] with the same N");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        long classes = teacherLogits.shape[1];
        if (classes < 2) throw new ArgumentException("γ needs at least two classes");
        using var scope = NewDisposeScope();
        var probs = nn.functional.softmax(teacherLogits.detach().to(float64).cpu() / temperature, -1);
        var gold = probs.gather(1, labels.cpu().unsqueeze(1)).squeeze(1);
        return (1 - gold).mean().item<double>() * classes / (classes - 1);
    }
}
