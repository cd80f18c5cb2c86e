using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Search;

/// <summary>What a constraint may look at when it rules tokens out at one step.</summary>
/// <param name="Step">0-based index of the token being chosen (tokens already generated, BOS excluded).</param>
/// <param name="AtMaxLength">[rows] bool: rows that must end now; null when none must.</param>
/// <param name="History">[rows, step] generated tokens; null unless a constraint needs them.</param>
readonly record struct StepContext(int Step, Tensor? AtMaxLength, Tensor? History);

/// <summary>
/// One rule of search as a small processor (CTranslate2's logits processors): it sets the log-probabilities of
/// the tokens it forbids to −∞ and leaves the others as the model gave them (in place where it can: the
/// tensor is the step's own).
/// </summary>
interface ITokenConstraint
{
    /// <param name="logProbs">[rows, vocab] log-probabilities after the constraints before this one.</param>
    Tensor Apply(Tensor logProbs, StepContext context);
}

/// <summary>PAD and BOS are never generated.</summary>
sealed class NeverGenerated : ITokenConstraint
{
    static readonly long[] Tokens = [SpecialTokens.Pad, SpecialTokens.Bos];
    Tensor? index; // made once per search's device, not once per step

    public Tensor Apply(Tensor logProbs, StepContext context)
    {
        if (index is null || index.device_type != logProbs.device_type || index.device_index != logProbs.device_index)
            index = torch.tensor(Tokens, device: logProbs.device).DetachFromDisposeScope();
        return logProbs.index_fill_(1, index, float.NegativeInfinity);
    }
}

/// <summary>No EOS before the minimum length.</summary>
sealed class MinimumLength(int minLength) : ITokenConstraint
{
    public Tensor Apply(Tensor logProbs, StepContext context) => context.Step < minLength
        ? logProbs.index_fill_(1, torch.tensor(new long[] { SpecialTokens.Eos }, device: logProbs.device), float.NegativeInfinity)
        : logProbs;
}

/// <summary>A row at its maximum length may only end (EOS).</summary>
sealed class EndAtMaximumLength(int vocabSize) : ITokenConstraint
{
    public Tensor Apply(Tensor logProbs, StepContext context)
    {
        if (context.AtMaxLength is not { } atMax) return logProbs;
        var notEos = torch.arange(vocabSize, device: logProbs.device).ne(SpecialTokens.Eos);
        return logProbs.masked_fill(atMax.unsqueeze(1).logical_and(notEos.unsqueeze(0)), float.NegativeInfinity);
    }
}

/// <summary>No token that would complete an n-gram the row already holds (fairseq's --no-repeat-ngram-size).</summary>
sealed class NoRepeatNgram(int n, int vocabSize) : ITokenConstraint
{
    public Tensor Apply(Tensor logProbs, StepContext context) =>
        context.History is { } history && context.Step >= n ? logProbs.masked_fill(RepeatedNgramEnds(history), float.NegativeInfinity) : logProbs;

    /// <summary>[rows, vocab] true where the token would complete an n-gram the row already holds.</summary>
    Tensor RepeatedNgramEnds(Tensor history)
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
