using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Search;

/// <summary>
/// The log-probability of every token of given outputs (EOS included), fed one token at a time through the same
/// incremental interface and the same temperature and log-softmax as search: fairseq's positional scores, Marian's
/// word scores. Constraints are not applied (a forced EOS at the maximum length keeps the model's own probability).
/// </summary>
public static class ForcedDecoding
{
    /// <param name="sourceIds">[sources, srcLen] int64, right-padded with PAD: one row per target, or each source once with <paramref name="sourceOfTarget"/>.</param>
    /// <param name="targets">token ids without BOS/EOS, one per row.</param>
    /// <param name="sourceOfTarget">which source each target translates (several n-best targets share one), so each source is encoded once.</param>
    /// <returns>per row, targets[row].Length + 1 log-probabilities (the last one EOS's).</returns>
    public static double[][] TokenLogProbs(IIncrementalSeq2Seq model, Tensor sourceIds, IReadOnlyList<int[]> targets, double temperature,
        long[]? sourceOfTarget = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = sourceIds.device;
        int rows = targets.Count, steps = targets.Max(t => t.Length) + 1;
        var gold = new long[rows * steps]; // EOS after each target, PAD after that
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < targets[r].Length; i++) gold[r * steps + i] = targets[r][i];
            gold[r * steps + targets[r].Length] = SpecialTokens.Eos;
        }
        var goldIds = tensor(gold, [rows, steps], device: device);
        using var state = model.Encode(sourceIds);
        if (sourceOfTarget is not null)
        {
            using var order = new RowOrder(sourceOfTarget);
            state.Reorder(order);
        }
        var previous = full(rows, (long)SpecialTokens.Bos, dtype: ScalarType.Int64, device: device);
        var picked = new List<Tensor>();
        for (int step = 0; step < steps; step++)
        {
            var logProbs = NextTokenScores.LogProbabilities(model.Step(previous, state), temperature);
            var next = goldIds[TensorIndex.Colon, step];
            picked.Add(logProbs.gather(1, next.unsqueeze(1)).squeeze(1));
            previous = next;
        }
        var all = stack(picked, 1).to(ScalarType.Float64).cpu().data<double>().ToArray(); // one read for the whole batch
        return Enumerable.Range(0, rows).Select(r => all.AsSpan(r * steps, targets[r].Length + 1).ToArray()).ToArray();
    }
}
