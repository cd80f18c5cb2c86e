using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// One decoder layer's cached tensors, [rows, heads, length, headDim]: the projected encoder keys/values
/// (computed once per sentence) and the self-attention keys/values of the target prefix (one more per step).
/// Held outside dispose scopes; replaced tensors are disposed at once.
/// </summary>
sealed class LayerCache : IDisposable
{
    public Tensor MemoryKeys { get; private set; }
    public Tensor MemoryValues { get; private set; }
    public Tensor? Keys { get; private set; }
    public Tensor? Values { get; private set; }

    public LayerCache(Tensor memoryKeys, Tensor memoryValues)
    {
        MemoryKeys = memoryKeys.DetachFromDisposeScope();
        MemoryValues = memoryValues.DetachFromDisposeScope();
    }

    public void Append(Tensor keys, Tensor values)
    {
        Keys = Replace(Keys, Keys is null ? keys.alias() : cat([Keys, keys], 2));
        Values = Replace(Values, Values is null ? values.alias() : cat([Values, values], 2));
    }

    public void Reorder(Tensor rowIndex)
    {
        MemoryKeys = Replace(MemoryKeys, MemoryKeys.index_select(0, rowIndex))!;
        MemoryValues = Replace(MemoryValues, MemoryValues.index_select(0, rowIndex))!;
        if (Keys is not null) Keys = Replace(Keys, Keys.index_select(0, rowIndex));
        if (Values is not null) Values = Replace(Values, Values.index_select(0, rowIndex));
    }

    static Tensor Replace(Tensor? old, Tensor fresh)
    {
        fresh.DetachFromDisposeScope();
        old?.Dispose();
        return fresh;
    }

    public void Dispose()
    {
        MemoryKeys.Dispose();
        MemoryValues.Dispose();
        Keys?.Dispose();
        Values?.Dispose();
    }
}
