using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

/// <summary>
/// A model whose next-token logits are a seeded hash of (its real source tokens, the prefix it has been
/// fed). Its cache is the fed prefix itself, so a search that reorders rows wrongly, or lets padding
/// leak, gets different scores than <see cref="Logits"/> computed from scratch.
/// </summary>
sealed class FakeSeq2Seq(int vocabSize, ulong seed = 7, int maxPositions = int.MaxValue) : IIncrementalSeq2Seq
{
    public int VocabSize => vocabSize;
    public int MaxPositions => maxPositions;
    public int EncodeCalls { get; private set; }
    public int StepCalls { get; private set; }
    public List<long> RowsPerStep { get; } = [];

    public IDecoderState Encode(Tensor sourceIds)
    {
        EncodeCalls++;
        var ids = sourceIds.cpu().data<long>().ToArray();
        int width = (int)sourceIds.shape[1];
        var sources = Enumerable.Range(0, (int)sourceIds.shape[0])
            .Select(r => ids.Skip(r * width).Take(width).Where(t => t != SpecialTokens.Pad).ToArray()).ToArray();
        return new State(sources);
    }

    public Tensor Step(Tensor previousTokens, IDecoderState state)
    {
        var s = (State)state;
        Assert.Equal(s.Rows, previousTokens.shape[0]);
        StepCalls++;
        RowsPerStep.Add(s.Rows);
        var previous = previousTokens.cpu().data<long>().ToArray();
        for (int r = 0; r < previous.Length; r++) s.Prefixes[r] = [.. s.Prefixes[r], previous[r]];
        Assert.All(s.Prefixes, p => Assert.True(p.Length <= maxPositions, $"fed {p.Length} tokens to a model of {maxPositions} positions"));
        var logits = s.Prefixes.Select((p, r) => Logits(s.Sources[r], p)).SelectMany(x => x).ToArray();
        return torch.tensor(logits, [previous.Length, vocabSize], device: previousTokens.device);
    }

    /// <summary>Next-token logits after <paramref name="prefix"/> (BOS first) for this source.</summary>
    public float[] Logits(long[] source, IReadOnlyList<long> prefix)
    {
        ulong h = seed;
        foreach (var t in source) h = Mix(h ^ (ulong)t);
        h = Mix(h ^ 0xABCDEF);
        foreach (var t in prefix) h = Mix(h ^ (ulong)(t + 1000));
        var logits = new float[vocabSize];
        for (int v = 0; v < vocabSize; v++) logits[v] = (float)((Mix(h + (ulong)v) % 10_000) / 10_000.0 * 6 - 3);
        return logits;
    }

    static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }

    sealed class State(long[][] sources) : IDecoderState
    {
        public long[][] Sources = sources;
        public long[][] Prefixes = sources.Select(_ => Array.Empty<long>()).ToArray();
        public long Rows => Sources.Length;
        public int Length => Prefixes.Length == 0 ? 0 : Prefixes[0].Length;

        public void Reorder(RowOrder order)
        {
            var idx = order.Rows;
            Sources = idx.Select(i => Sources[i]).ToArray();
            Prefixes = idx.Select(i => Prefixes[i]).ToArray();
        }

        public void Dispose() { }
    }
}
