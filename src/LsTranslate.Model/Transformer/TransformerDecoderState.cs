using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// Incremental decoding state of <see cref="Seq2SeqTransformer"/>: per decoder layer a cache, and the source side
/// (mask, encoder keys/values) once per sentence. Beam search holds a sentence's hypotheses in consecutive rows,
/// `Group` of them each: those rows share their sentence's source tensors and its cross-attention reads them once
/// for all its queries, instead of one copy per hypothesis. Any other row order gives each row its own copy.
/// </summary>
sealed class TransformerDecoderState : IDecoderState
{
    /// <summary>[sources, 1, 1, srcLen] boolean, true at real source tokens; one row per source side held.</summary>
    public Tensor SourceMask { get; private set; }
    public IReadOnlyList<LayerCache> Layers { get; }
    public int Length { get; set; }
    public long Rows => origin.Length;

    /// <summary>Rows per source side: rows [i·Group, (i+1)·Group) read source side i.</summary>
    public int Group { get; private set; } = 1;

    /// <summary>The encoded sentence each row translates (host side, as the orders that reorder it are).</summary>
    long[] origin;

    /// <summary>The encoded sentence each held source side is.</summary>
    long[] sides;

    public TransformerDecoderState(Tensor sourceMask, IReadOnlyList<LayerCache> layers)
    {
        SourceMask = sourceMask.DetachFromDisposeScope();
        Layers = layers;
        origin = Enumerable.Range(0, (int)sourceMask.shape[0]).Select(i => (long)i).ToArray();
        sides = origin;
    }

    public void Reorder(RowOrder order)
    {
        using var scope = NewDisposeScope();
        var freshOrigin = order.Rows.Select(r => origin[r]).ToArray();
        var (group, freshSides) = Grouping(freshOrigin);
        // Which held source side each new one is; null when the sides stay as they are.
        Tensor? sideIndex = null;
        if (!freshSides.SequenceEqual(sides))
        {
            var position = new Dictionary<long, long>();
            for (int i = 0; i < sides.Length; i++) position.TryAdd(sides[i], i);
            sideIndex = tensor(freshSides.Select(s => position[s]).ToArray(), device: SourceMask.device);
            var fresh = SourceMask.index_select(0, sideIndex).DetachFromDisposeScope();
            SourceMask.Dispose();
            SourceMask = fresh;
        }
        var rowIndex = order.On(SourceMask.device);
        foreach (var layer in Layers) layer.Reorder(rowIndex, sideIndex);
        (origin, sides, Group) = (freshOrigin, freshSides, group);
    }

    /// <summary>
    /// Rows that come in runs of one length per sentence, each sentence once, share source sides (one per run);
    /// otherwise every row gets its own.
    /// </summary>
    static (int Group, long[] Sides) Grouping(long[] origin)
    {
        if (origin.Length == 0) return (1, origin);
        int run = 1;
        while (run < origin.Length && origin[run] == origin[0]) run++;
        bool grouped = origin.Length % run == 0;
        for (int i = 0; grouped && i < origin.Length; i++) grouped = origin[i] == origin[i - i % run];
        if (!grouped) return (1, origin);
        var sides = new long[origin.Length / run];
        for (int s = 0; s < sides.Length; s++) sides[s] = origin[s * run];
        return sides.Distinct().Count() == sides.Length ? (run, sides) : (1, origin);
    }

    public void Dispose()
    {
        SourceMask.Dispose();
        foreach (var layer in Layers) layer.Dispose();
    }
}
