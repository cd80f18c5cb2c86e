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

    public TransformerDecoderState(Tensor sourceMask, IReadOnlyList<LayerCache> layers)
    {
        SourceMask = sourceMask.DetachFromDisposeScope();
        Layers = layers;
    }

    public void Reorder(Tensor rowIndex)
    {
        using var scope = NewDisposeScope();
        var fresh = SourceMask.index_select(0, rowIndex).DetachFromDisposeScope();
        SourceMask.Dispose();
        SourceMask = fresh;
        foreach (var layer in Layers) layer.Reorder(rowIndex);
    }

    public void Dispose()
    {
        SourceMask.Dispose();
        foreach (var layer in Layers) layer.Dispose();
    }
}
