using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// What the host-side bookkeeping of one search step needs, per active sentence, read from the device in one
/// transfer: the open hypotheses' parent beams, tokens and those tokens' log-probabilities; which of the best
/// `beam` candidates end here, with their beams, scores and EOS log-probabilities; the best open score and the best
/// candidate's. The
/// tensors travel packed in one float32 row per sentence (beam indices and token ids below 2²⁴ are exact in
/// float32); only this class knows the layout.
/// </summary>
sealed class StepReadback
{
    // Parts of a sentence's row, `beam` values each, then the best open score and the best candidate's.
    enum Layout { ParentBeams, Tokens, TokenLogProbs, EndingFlags, EndingBeams, EndingScores, EndingLogProbs, Parts }

    readonly float[] values;
    readonly int beam, width;

    StepReadback(float[] values, int beam)
    {
        this.values = values;
        this.beam = beam;
        width = (int)Layout.Parts * beam + 2;
    }

    /// <param name="next">the next open hypotheses, [sentences, beam] each.</param>
    /// <param name="candidates">the ranked candidates, [sentences, ≥ beam] each; their first `beam` may end.</param>
    /// <param name="ending">[sentences, beam] bool: which of the first `beam` candidates end with EOS.</param>
    public static StepReadback Read(Candidates next, Candidates candidates, Tensor ending, int beam)
    {
        Tensor First(Tensor t) => t.narrow(1, 0, beam);
        var packed = torch.cat([next.Beams.to_type(ScalarType.Float32), next.Tokens.to_type(ScalarType.Float32), next.TokenLogProbs,
            ending.to_type(ScalarType.Float32), First(candidates.Beams).to_type(ScalarType.Float32), First(candidates.Scores),
            First(candidates.TokenLogProbs), next.Scores.max(1, keepdim: true).values, candidates.Scores.max(1, keepdim: true).values], 1);
        return new StepReadback(packed.cpu().data<float>().ToArray(), beam);
    }

    ReadOnlySpan<float> Part(int sentence, Layout part) => values.AsSpan(sentence * width + (int)part * beam, beam);

    public int[] ParentBeams(int sentence) => Ints(Part(sentence, Layout.ParentBeams));

    public int[] Tokens(int sentence) => Ints(Part(sentence, Layout.Tokens));

    public float[] TokenLogProbs(int sentence) => Part(sentence, Layout.TokenLogProbs).ToArray();

    /// <summary>The candidates among the best `beam` that end with EOS at this step: the beam each extends, its score and EOS's log-probability.</summary>
    public IEnumerable<(int Beam, float Score, float EosLogProb)> Ending(int sentence)
    {
        for (int b = 0; b < beam; b++)
            if (Part(sentence, Layout.EndingFlags)[b] != 0)
                yield return ((int)Part(sentence, Layout.EndingBeams)[b], Part(sentence, Layout.EndingScores)[b], Part(sentence, Layout.EndingLogProbs)[b]);
    }

    /// <summary>The best score among the sentence's next open hypotheses (−∞ when none is open).</summary>
    public float BestOpen(int sentence) => values[sentence * width + (int)Layout.Parts * beam];

    /// <summary>The best score among all of the step's candidates, ending ones included.</summary>
    public float BestCandidate(int sentence) => values[sentence * width + (int)Layout.Parts * beam + 1];

    static int[] Ints(ReadOnlySpan<float> values)
    {
        var ints = new int[values.Length];
        for (int i = 0; i < ints.Length; i++) ints[i] = (int)values[i];
        return ints;
    }
}
