using LsTranslate.Model.Distributed;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Batches;

namespace LsTranslate.Model.Training;

/// <summary>
/// One training update of a translation model and the pieces around it that <see cref="Trainer"/> puts together, public
/// so that benchmarks, experiments and tests call them instead of copying them: the optimizer, the dropout seed, the
/// update itself and its gradient clipping.
/// </summary>
public static class TrainingUpdate
{
    /// <summary>Adam with the transformer's betas and epsilon (Vaswani et al.: 0.9, 0.98, 1e-9).</summary>
    public static optim.Optimizer CreateOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, TrainOptions options) =>
        optim.Adam(parameters, options.LearningRate, beta1: 0.9, beta2: 0.98, eps: 1e-9);

    /// <summary>
    /// The seed of the dropout of update <paramref name="step"/>'s batch number <paramref name="batch"/>: a resumed run
    /// draws what the uninterrupted one did, and a batch draws the same on whichever rank it runs.
    /// </summary>
    public static long DropoutSeed(TrainOptions options, long step, int batch = 0) => options.Seed * 1_000_003L + step + batch * 1_000_000_007L;

    /// <summary>
    /// One update over <paramref name="batches"/> (accumulated): label-smoothed loss, each batch weighted by its
    /// share of target tokens, gradient clipping, an optimizer step. Returns the mean loss per target token, the one
    /// value read back to the host (on a GPU every other one would stall the update).
    /// </summary>
    /// <param name="shared">where several ranks share the update: each passes its own batches, gradients are summed
    /// over the ranks before clipping, and the mean is over the whole update's target tokens.</param>
    public static (double Loss, long Tokens) Update(Seq2SeqTransformer model, optim.Optimizer optimizer, IReadOnlyList<TorchSharp.Modules.Parameter> parameters,
        IReadOnlyList<TokenBatch> batches, TrainOptions options, SharedUpdate? shared = null)
    {
        using var noCollection = Native.CollectionPause.Begin();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var device = Devices.Of(model);
        long tokens = shared?.Tokens ?? batches.Sum(b => (long)b.TargetTokens);
        var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        foreach (var batch in batches)
        {
            using var batchScope = NewDisposeScope();
            if (batch.DropoutSeed is { } seed) manual_seed(seed);
            var features = model.Features(batch.Source.to(device), batch.TargetIn.to(device));
            // Only real target positions reach the output layer: padding would cost a row of V logits each.
            var (rows, labels) = batch.RealRows(features);
            // The update is the per-token mean over all accumulated batches.
            lossSum.add_(model.BackwardOutputLoss(rows, labels, options.LabelSmoothing, tokens));
        }
        if (shared is not null) ParameterSync.SumGradients(parameters, lossSum, shared.Ranks);
        ClipGradientNorm(parameters, options.ClipNorm);
        optimizer.step();
        return (lossSum.item<double>() / tokens, tokens);
    }

    /// <summary>An update shared by the ranks of <paramref name="Ranks"/>, <paramref name="Tokens"/> target tokens over all of them.</summary>
    public sealed record SharedUpdate(Communicator Ranks, long Tokens);

    /// <summary>
    /// Scales all gradients by min(1, max / (‖g‖ + 1e-6)), ‖g‖ the norm of all of them together — PyTorch's
    /// clip_grad_norm_, kept on the device: the norm is never read back to the host.
    /// </summary>
    public static void ClipGradientNorm(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return;
        var total = linalg.vector_norm(stack(grads.Select(g => linalg.vector_norm(g))));
        var coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
        using (no_grad())
            foreach (var g in grads) g.mul_(coefficient.to(g.dtype));
    }
}
