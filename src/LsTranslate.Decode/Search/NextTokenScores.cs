using LsTranslate.Model.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// Turns one step's logits into the log-probabilities search ranks by: temperature, log-softmax, then the
/// constraints as −∞ (never PAD or BOS, no EOS before MinLen, only EOS at a row's max length, no repeated
/// n-gram). The log-softmax comes before the constraints, like fairseq: scores stay the model's own.
/// </summary>
sealed class NextTokenScores(SearchOptions options, int vocabSize)
{
    static readonly long[] NeverGenerated = [SpecialTokens.Pad, SpecialTokens.Bos];

    /// <param name="logits">[rows, vocab]</param>
    /// <param name="step">0-based index of the token being chosen (tokens already generated, BOS excluded).</param>
    /// <param name="atMaxLength">[rows] bool: rows that must end now; null when none must.</param>
    /// <param name="history">[rows, step] generated tokens; needed only for NoRepeatNgram.</param>
    public Tensor Score(Tensor logits, int step, Tensor? atMaxLength, Tensor? history)
    {
        var scaled = options.Temperature == 1.0 ? logits : logits / options.Temperature;
        var lp = torch.nn.functional.log_softmax(scaled.to_type(ScalarType.Float32), 1);
        lp.index_fill_(1, torch.tensor(NeverGenerated, device: lp.device), float.NegativeInfinity);
        if (step < options.MinLen)
            lp.index_fill_(1, torch.tensor(new long[] { SpecialTokens.Eos }, device: lp.device), float.NegativeInfinity);
        if (history is not null && options.NoRepeatNgram > 0 && step >= options.NoRepeatNgram)
            lp = lp.masked_fill(RepeatedNgramEnds(history, options.NoRepeatNgram), float.NegativeInfinity);
        if (atMaxLength is not null)
        {
            var notEos = torch.arange(vocabSize, device: lp.device).ne(SpecialTokens.Eos);
            lp = lp.masked_fill(atMaxLength.unsqueeze(1).logical_and(notEos.unsqueeze(0)), float.NegativeInfinity);
        }
        return lp;
    }

    /// <summary>[rows, vocab] true where the token would complete an n-gram the row already holds.</summary>
    Tensor RepeatedNgramEnds(Tensor history, int n)
    {
        long rows = history.shape[0], length = history.shape[1];
        var windows = history.unfold(1, n, 1);                                  // [rows, length-n+1, n]
        var lastPrefix = history.narrow(1, length - (n - 1), n - 1).unsqueeze(1); // [rows, 1, n-1]
        var sameStart = windows.narrow(2, 0, n - 1).eq(lastPrefix).all(2);       // [rows, windows]
        var next = windows.select(2, n - 1);
        // Non-matching windows write into a spare column that is cut off, so scatter needs no mask.
        var target = torch.where(sameStart, next, torch.full_like(next, vocabSize));
        var banned = torch.zeros(rows, vocabSize + 1, ScalarType.Bool, device: history.device);
        banned.scatter_(1, target, torch.ones_like(target, ScalarType.Bool));
        return banned.narrow(1, 0, vocabSize);
    }
}
