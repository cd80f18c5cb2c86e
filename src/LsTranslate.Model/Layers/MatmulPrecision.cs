using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace LsTranslate.Model.Layers;

/// <summary>
/// The model-wide type of matrix products and convolutions, shared by every layer of one model so that one
/// switch changes them all. A run setting: any checkpoint runs in either precision.
/// </summary>
sealed class MatmulPrecision
{
    ScalarType type = ScalarType.Float32;

    // Weights in the product type, per master weight and type, once the model only infers (KeepWeightCopies).
    // Casting the whole model on every decoder step made bf16 decoding slower than fp32 (bench/decode-throughput).
    ConditionalWeakTable<Tensor, Dictionary<ScalarType, Tensor>>? copies;

    public Precision Precision
    {
        get => type == ScalarType.BFloat16 ? Precision.Bf16 : Precision.Fp32;
        set => type = value.MatmulType();
    }

    /// <summary><paramref name="x"/> in the product type (a no-op in fp32 or when it already is).</summary>
    public Tensor Cast(Tensor x) => x.dtype == type ? x : x.to(type);

    /// <summary>
    /// A master weight in the product type: cast on every call while training (the gradient flows back through the
    /// cast), a kept copy per type once <see cref="KeepWeightCopies"/> was called.
    /// </summary>
    public Tensor Weight(Tensor master)
    {
        if (master.dtype == type) return master;
        if (copies is null) return master.to(type);
        var perType = copies.GetOrCreateValue(master);
        if (!perType.TryGetValue(type, out var copy))
        {
            using (no_grad()) copy = master.to(type).DetachFromDisposeScope();
            perType[type] = copy;
        }
        return copy;
    }

    /// <summary>
    /// From now on the weights are final: products read copies made once per type instead of casting each call.
    /// Only for a model that will never train again (copies would go stale after an update).
    /// </summary>
    public void KeepWeightCopies() => copies ??= new();

    /// <summary>Runs in <paramref name="precision"/> until the returned scope is disposed, then in the one before.</summary>
    public IDisposable Scope(Precision precision)
    {
        var restore = new Restore(this, Precision);
        Precision = precision;
        return restore;
    }

    sealed class Restore(MatmulPrecision owner, Precision before) : IDisposable
    {
        public void Dispose() => owner.Precision = before;
    }
}
