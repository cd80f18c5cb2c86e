using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace DecodeThroughput;

/// <summary>
/// The baseline the key/value cache is measured against: every step reruns the full teacher-forced
/// Forward (encoder included) over the whole target prefix and keeps only the last position's logits.
/// </summary>
sealed class UncachedSeq2Seq(Seq2SeqTransformer model) : IIncrementalSeq2Seq
{
    public int VocabSize => model.VocabSize;
    public int MaxPositions => model.MaxPositions;

    public IDecoderState Encode(Tensor sourceIds) => new PrefixState(sourceIds);

    public Tensor Step(Tensor previousTokens, IDecoderState state)
    {
        using var noGrad = no_grad();
        var prefix = (PrefixState)state;
        prefix.Append(previousTokens);
        var logits = model.Forward(prefix.Source, prefix.Tokens);
        return logits.select(1, -1);
    }

    sealed class PrefixState(Tensor sourceIds) : IDecoderState
    {
        public Tensor Source { get; private set; } = sourceIds.alias().DetachFromDisposeScope();
        public Tensor Tokens { get; private set; } = empty(sourceIds.shape[0], 0, ScalarType.Int64).DetachFromDisposeScope();
        public long Rows => Source.shape[0];
        public int Length => (int)Tokens.shape[1];

        public void Append(Tensor previousTokens) => Tokens = Swap(Tokens, cat([Tokens, previousTokens.unsqueeze(1)], 1));

        public void Reorder(RowOrder order)
        {
            Source = Swap(Source, Source.index_select(0, order.On(Source.device)));
            Tokens = Swap(Tokens, Tokens.index_select(0, order.On(Tokens.device)));
        }

        static Tensor Swap(Tensor old, Tensor fresh)
        {
            fresh.DetachFromDisposeScope();
            old.Dispose();
            return fresh;
        }

        public void Dispose()
        {
            Source.Dispose();
            Tokens.Dispose();
        }
    }
}

/// <summary>Counts decoder steps and the rows they fed, around any model.</summary>
sealed class CountingSeq2Seq(IIncrementalSeq2Seq inner) : IIncrementalSeq2Seq
{
    public long Steps { get; private set; }
    public long RowsFed { get; private set; }
    public int VocabSize => inner.VocabSize;
    public int MaxPositions => inner.MaxPositions;
    public IDecoderState Encode(Tensor sourceIds) => inner.Encode(sourceIds);

    public Tensor Step(Tensor previousTokens, IDecoderState state)
    {
        Steps++;
        RowsFed += previousTokens.shape[0];
        return inner.Step(previousTokens, state);
    }

    public void Reset() => (Steps, RowsFed) = (0, 0);
}
