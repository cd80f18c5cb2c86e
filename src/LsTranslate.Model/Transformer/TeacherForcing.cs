using LsTranslate.Model.Losses;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Transformer;

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
    public static void ForEachPaddedBatch(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, Action<Tensor, Tensor, int[]> visit) =>
        ForEachTokenBatch(model, pairs, maxTokens, (batch, device, indices) =>
        {
            var logits = model.Forward(batch.Source.to(device), batch.TargetIn.to(device));
            visit(logits.view(-1, logits.shape[^1]), batch.TargetOut.to(device).view(-1), indices);
        });

    static void ForEachTokenBatch(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, Action<TokenBatch, Device, int[]> visit)
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
                using var noCollection = Native.CollectionPause.Begin(); // as in a training update
                using var batch = batcher.Make(indices);
                visit(batch, device, indices);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// NLL, tokens and correct top-1 predictions in the model's precision, as training computes its loss: only the real
    /// target positions reach the output layer, <see cref="ChunkedSmoothedLoss.DefaultChunkRows"/> rows at a time, with
    /// log-sum-exp and sums in float32 — the [N, V] logits never exist whole. Summed on the model's device (float64)
    /// and read back once at the end: no host synchronisation per batch.
    /// </summary>
    public static TeacherForcedScores Score(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var sums = zeros(2, dtype: ScalarType.Float64, device: Devices.Of(model)); // NLL, correct
        long tokens = 0;
        ForEachTokenBatch(model, pairs, maxTokens, (batch, device, _) =>
        {
            var (rows, labels) = batch.RealRows(model.Features(batch.Source.to(device), batch.TargetIn.to(device)));
            tokens += batch.TargetTokens;
            for (long start = 0; start < rows.shape[0]; start += ChunkedSmoothedLoss.DefaultChunkRows)
            {
                using var chunkScope = NewDisposeScope();
                long n = Math.Min(ChunkedSmoothedLoss.DefaultChunkRows, rows.shape[0] - start);
                var logits = model.OutputLogits(rows.narrow(0, start, n));
                if (temperature != 1.0) logits.div_(temperature);
                var gold = labels.narrow(0, start, n).unsqueeze(1);
                var nll = (logits.logsumexp(-1, keepdim: true) - logits.gather(1, gold)).sum();
                var correct = logits.argmax(1).eq(gold.squeeze(1)).sum();
                sums.add_(stack([nll.to(ScalarType.Float64), correct.to(ScalarType.Float64)]));
            }
        });
        var totals = sums.cpu().data<double>().ToArray();
        return new TeacherForcedScores(totals[0], tokens, (long)totals[1]);
    }
}
