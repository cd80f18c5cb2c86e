using static TorchSharp.torch;

namespace LsTranslate.Model.Layers;

/// <summary>
/// The model-wide type of matrix products and convolutions, shared by every layer of one model so that one
/// switch changes them all. A run setting: any checkpoint runs in either precision.
/// </summary>
sealed class MatmulPrecision
{
    ScalarType type = ScalarType.Float32;

    public Precision Precision
    {
        get => type == ScalarType.BFloat16 ? Precision.Bf16 : Precision.Fp32;
        set => type = value.MatmulType();
    }

    /// <summary><paramref name="x"/> in the product type (a no-op in fp32 or when it already is).</summary>
    public Tensor Cast(Tensor x) => x.dtype == type ? x : x.to(type);

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
