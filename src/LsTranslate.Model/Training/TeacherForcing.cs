using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LsTranslate.Model.Training;

/// <summary>Plain (never smoothed) token-level NLL and accuracy of a model with the gold prefix.</summary>
public sealed record TokenScores(double NllSum, long Tokens, long Correct)
{
    public double Nll => NllSum / Math.Max(Tokens, 1);
    public double Perplexity => Math.Exp(Nll);
    public double Accuracy => (double)Correct / Math.Max(Tokens, 1);
}

/// <summary>
/// Runs a model over reference pairs with the gold target prefix. Validation during training and
/// `evaluate` both come through here, so their NLL is the same number by construction.
/// </summary>
public static class TeacherForcing
{
    /// <summary>Calls <paramref name="visit"/> with the logits [n, V] and gold labels [n] of every real target position, batch by batch.</summary>
    public static void ForEachBatch(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, Action<Tensor, Tensor> visit) =>
        ForEachPaddedBatch(model, pairs, maxTokens, (logits, labels, _) =>
        {
            var real = labels.ne(SpecialTokens.Pad);
            visit(logits[real], labels[real]);
        });

    /// <summary>
    /// The batches themselves, in evaluation mode and without gradients: logits [B·T, V] and labels [B·T] of every
    /// position, padding (label PAD) included, so that a caller summing on the device need not select (which synchronises),
    /// and the indices in <paramref name="pairs"/> of the batch's sentences, in row order.
    /// </summary>
    public static void ForEachPaddedBatch(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, Action<Tensor, Tensor, int[]> visit)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var batcher = new TokenBatcher(pairs, maxTokens, seed: 0);
            var device = Devices.Of(model);
            foreach (var indices in batcher.EpochPlan(0))
            {
                using var scope = NewDisposeScope();
                using var batch = batcher.Make(indices);
                var logits = model.Forward(batch.Source.to(device), batch.TargetIn.to(device));
                visit(logits.view(-1, logits.shape[^1]), batch.TargetOut.to(device).view(-1), indices);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// NLL, tokens and correct top-1 predictions, summed on the model's device (float64) and read back once at the end:
    /// no host synchronisation per batch.
    /// </summary>
    public static TokenScores Score(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var sums = zeros(3, dtype: ScalarType.Float64, device: Devices.Of(model)); // NLL, tokens, correct
        ForEachPaddedBatch(model, pairs, maxTokens, (logits, labels, _) =>
        {
            var scaled = temperature == 1.0 ? logits : logits / temperature;
            var real = labels.ne(SpecialTokens.Pad);
            var nll = F.cross_entropy(scaled, labels, ignore_index: SpecialTokens.Pad, reduction: nn.Reduction.Sum);
            var correct = scaled.argmax(1).eq(labels).logical_and(real).sum();
            sums.add_(stack([nll.to(ScalarType.Float64), real.sum().to(ScalarType.Float64), correct.to(ScalarType.Float64)]));
        });
        var totals = sums.cpu().data<double>().ToArray();
        return new TokenScores(totals[0], (long)totals[1], (long)totals[2]);
    }
}
