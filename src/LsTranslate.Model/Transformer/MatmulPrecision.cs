using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>The model-wide matrix-product type, shared by every projection so one switch changes them all.</summary>
sealed class MatmulPrecision
{
    public ScalarType Type { get; set; } = ScalarType.Float32;

    /// <summary><paramref name="x"/> in the product type (a no-op in fp32 or when it already is).</summary>
    public Tensor Cast(Tensor x) => x.dtype == Type ? x : x.to(Type);
}
