using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>Incremental decoding state of <see cref="Seq2SeqTransformer"/>: source mask plus one cache per decoder layer.</summary>
sealed class TransformerDecoderState : IDecoderState
{
    public Tensor SourceMask { get; private set; }
    public IReadOnlyList<LayerCache> Layers { get; }
    public int Length { get; set; }
    public long Rows => SourceMask.shape[0];

    /// <summary>[rows] int64: the encoded sentence each row's source-side tensors hold.</summary>
    Tensor origin;

    public TransformerDecoderState(Tensor sourceMask, IReadOnlyList<LayerCache> layers)
    {
        SourceMask = sourceMask.DetachFromDisposeScope();
        Layers = layers;
        origin = arange(sourceMask.shape[0], device: sourceMask.device).DetachFromDisposeScope();
    }

    public void Reorder(Tensor rowIndex)
    {
        using var scope = NewDisposeScope();
        var freshOrigin = origin.index_select(0, rowIndex);
        // Beams trade places within their sentence at every step: then each row keeps its source, and the
        // encoder keys/values (the largest part of the cache) need no copy.
        bool memoryMoves = freshOrigin.shape[0] != origin.shape[0] || !freshOrigin.eq(origin).all().item<bool>();
        origin.Dispose();
        origin = freshOrigin.DetachFromDisposeScope();
        if (memoryMoves)
        {
            var fresh = SourceMask.index_select(0, rowIndex).DetachFromDisposeScope();
            SourceMask.Dispose();
            SourceMask = fresh;
        }
        foreach (var layer in Layers) layer.Reorder(rowIndex, memoryMoves);
    }

    public void Dispose()
    {
        SourceMask.Dispose();
        origin.Dispose();
        foreach (var layer in Layers) layer.Dispose();
    }
}
