using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Distributed;

/// <summary>
/// What keeps data-parallel ranks one model: the same initial weights, and each update's gradients summed over all
/// ranks in one flat buffer (one collective per update rather than one per tensor).
/// </summary>
public static class ParameterSync
{
    /// <summary>Copies rank 0's weights into every rank's.</summary>
    public static void BroadcastWeights(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Communicator ranks)
    {
        if (ranks.Size == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = cat(parameters.Select(p => p.detach().flatten()).ToList());
        ranks.Broadcast(flat);
        Scatter(flat, parameters, (p, part) => p.copy_(part));
    }

    /// <summary>
    /// Replaces every gradient with its sum over the ranks, and <paramref name="lossSum"/> likewise. A rank that had no
    /// batch this update (the end of an epoch) adds zeros.
    /// </summary>
    public static void SumGradients(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Tensor lossSum, Communicator ranks)
    {
        if (ranks.Size == 1) return;
        using var scope = NewDisposeScope();
        var flat = cat(parameters.Select(p => p.grad is { } g ? g.flatten() : zeros(p.numel(), p.dtype, p.device)).ToList());
        ranks.SumInPlace(flat);
        Scatter(flat, parameters, (p, part) =>
        {
            if (p.grad is { } g) g.copy_(part);
            else p.grad = part.clone();
        });
        ranks.SumInPlace(lossSum);
    }

    static void Scatter(Tensor flat, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Action<TorchSharp.Modules.Parameter, Tensor> take)
    {
        long offset = 0;
        foreach (var p in parameters)
        {
            take(p, flat.narrow(0, offset, p.numel()).view_as(p));
            offset += p.numel();
        }
    }
}
