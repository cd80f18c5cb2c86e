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

    // Weights as products read them, per master weight, product type and layout, once the model only infers
    // (KeepWeightCopies). Casting the whole model on every decoder step made bf16 decoding slower than fp32.
    ConditionalWeakTable<Tensor, Dictionary<(ScalarType, bool Transposed), Tensor>>? copies;

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
    public Tensor Weight(Tensor master) => master.dtype == type ? master : copies is null ? master.to(type) : Copy(master, transposed: false);

    /// <summary>
    /// x·Wᵀ + b in the product type. A float32 inference model multiplies by a kept contiguous Wᵀ: MKL's sgemm packs a
    /// transposed weight again on every call, which at decoding's few rows cost more than the product itself (4 rows,
    /// 256→256: 194 µs against 49 µs; bench/decode-throughput's phases). bfloat16 products (oneDNN) read W as it is.
    /// </summary>
    public Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (copies is null || type != ScalarType.Float32)
            return nn.functional.linear(Cast(x), Weight(weight), bias is null ? null : Weight(bias));
        var transposed = Copy(weight, transposed: true);
        var rows = x.reshape(-1, x.shape[^1]);
        var y = bias is null ? rows.mm(transposed) : addmm(bias, rows, transposed, 1, 1);
        return y.view([.. x.shape[..^1], transposed.shape[1]]);
    }

    Tensor Copy(Tensor master, bool transposed)
    {
        var perWeight = copies!.GetOrCreateValue(master);
        if (!perWeight.TryGetValue((type, transposed), out var copy))
        {
            using (no_grad()) copy = (transposed ? master.t().contiguous() : master).to(type).DetachFromDisposeScope();
            perWeight[(type, transposed)] = copy;
        }
        return copy;
    }

    /// <summary>
    /// From now on the weights are final: products read copies made once per type instead of casting each call.
    /// Only for a model that will never train again (copies would go stale after an update).
    /// </summary>
    public void KeepWeightCopies() => copies ??= new();

    /// <summary>The kept copies, per master weight: the product types and layouts it has one in (none while training).</summary>
    internal IReadOnlyList<IReadOnlyCollection<(ScalarType Type, bool Transposed)>> AllCopies =>
        copies is null ? [] : [.. copies.Select(entry => entry.Value.Keys)];

    /// <summary>The product types and layouts <paramref name="master"/> has a kept copy in.</summary>
    internal IReadOnlyCollection<(ScalarType Type, bool Transposed)> CopiesOf(Tensor master) =>
        copies is not null && copies.TryGetValue(master, out var perWeight) ? perWeight.Keys : [];

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
