using LsTranslate.Decode.Search;
using TorchSharp;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

/// <summary>Slow, obviously-correct decoding of one sentence with <see cref="FakeSeq2Seq.Logits"/>, in doubles.</summary>
static class Reference
{
    /// <summary>log_softmax(z / T) over the whole vocabulary; PAD and BOS then −∞, as search does.</summary>
    public static double[] LogProbs(FakeSeq2Seq model, long[] source, IReadOnlyList<long> prefix, double temperature)
    {
        var z = model.Logits(source, prefix).Select(x => x / temperature).ToArray();
        double max = z.Max(), log = max + Math.Log(z.Sum(x => Math.Exp(x - max)));
        var lp = z.Select(x => x - log).ToArray();
        lp[SpecialTokens.Pad] = lp[SpecialTokens.Bos] = double.NegativeInfinity;
        return lp;
    }

    public static double LogProb(FakeSeq2Seq model, long[] source, int[] tokens, double temperature)
    {
        var prefix = new List<long> { SpecialTokens.Bos };
        double sum = 0;
        foreach (var t in tokens.Append(SpecialTokens.Eos))
        {
            sum += LogProbs(model, source, prefix, temperature)[t];
            prefix.Add(t);
        }
        return sum;
    }

    /// <summary>Every output of at most maxLength tokens, scored as search scores finished hypotheses.</summary>
    public static List<FinishedHypothesis> Exhaustive(FakeSeq2Seq model, long[] source, SearchOptions options, int maxLength)
    {
        var all = new List<FinishedHypothesis>();
        void Extend(List<int> tokens, List<float> tokenLogProbs, double logProb)
        {
            var prefix = new List<long> { SpecialTokens.Bos };
            prefix.AddRange(tokens.Select(t => (long)t));
            var lp = LogProbs(model, source, prefix, options.Temperature);
            var ended = logProb + lp[SpecialTokens.Eos];
            all.Add(new FinishedHypothesis(tokens.ToArray(), ended / options.Penalty(tokens.Count + 1), ended, [.. tokenLogProbs, (float)lp[SpecialTokens.Eos]]));
            if (tokens.Count == maxLength) return;
            for (int t = SpecialTokens.Unk; t < model.VocabSize; t++)
                Extend([.. tokens, t], [.. tokenLogProbs, (float)lp[t]], logProb + lp[t]);
        }
        Extend([], [], 0);
        return all.OrderByDescending(h => h.Score).ToList();
    }

    public static int[] Greedy(FakeSeq2Seq model, long[] source, int maxLength)
    {
        var prefix = new List<long> { SpecialTokens.Bos };
        while (prefix.Count <= maxLength)
        {
            var lp = LogProbs(model, source, prefix, 1.0);
            int best = Array.IndexOf(lp, lp.Max());
            if (best == SpecialTokens.Eos) break;
            prefix.Add(best);
        }
        return prefix.Skip(1).Select(t => (int)t).ToArray();
    }

    /// <summary>Search scores in float32 against references in double.</summary>
    public static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4, $"expected {expected}, got {actual}");

    public static torch.Tensor Batch(params long[][] sources)
    {
        int width = sources.Max(s => s.Length);
        var ids = sources.SelectMany(s => s.Concat(Enumerable.Repeat((long)SpecialTokens.Pad, width - s.Length))).ToArray();
        return torch.tensor(ids, [sources.Length, width]);
    }
}
