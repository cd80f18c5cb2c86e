using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// What search needs from a translation model, and nothing more (fairseq's incremental-state idea):
/// encode a batch once, then advance the decoder one token at a time over a per-layer key/value cache.
/// Search never calls the full-sequence forward.
/// </summary>
public interface IIncrementalSeq2Seq
{
    int VocabSize { get; }

    /// <summary>Positions the model has: the longest source it can encode, and the most target tokens (BOS included) it can feed.</summary>
    int MaxPositions { get; }

    /// <summary>
    /// Encodes source ids [batch, srcLen] (int64, right-padded with SpecialTokens.Pad) and returns a fresh
    /// decoder state for those rows, positioned before the first target token.
    /// </summary>
    IDecoderState Encode(Tensor sourceIds);

    /// <summary>
    /// Feeds the previous target token of every row ([rows] int64; BOS at the first step), appends its keys
    /// and values to the state's cache, and returns next-token logits [rows, vocab] (float32, before any
    /// temperature or log-softmax).
    /// </summary>
    Tensor Step(Tensor previousTokens, IDecoderState state);
}

/// <summary>
/// The per-sentence state of incremental decoding: encoder output, source padding mask and, per decoder
/// layer, the cached self-attention keys/values. Its tensors live outside any dispose scope; the state
/// owns them and disposes them on Dispose or when replaced.
/// </summary>
public interface IDecoderState : IDisposable
{
    /// <summary>Rows currently held (sentences × beams).</summary>
    long Rows { get; }

    /// <summary>Number of target tokens already fed.</summary>
    int Length { get; }

    /// <summary>
    /// Keeps the rows <paramref name="order"/> names, in that order (repeats allowed): used to expand sentences into
    /// beams, to follow beam reordering and to drop finished sentences.
    /// </summary>
    void Reorder(RowOrder order);
}
