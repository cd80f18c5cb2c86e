using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>The fixed sine/cosine position table of Vaswani et al. (2017); a buffer, not a parameter.</summary>
static class SinusoidalPositions
{
    public static Tensor Table(int maxPositions, int dim, PositionLayout layout)
    {
        using var scope = NewDisposeScope();
        var position = arange(maxPositions, dtype: float32).unsqueeze(1);
        var frequency = exp(arange(0, dim, 2, dtype: float32) * (-Math.Log(10000.0) / dim));
        var angles = position * frequency;
        if (layout == PositionLayout.Halves) return cat([sin(angles), cos(angles)], 1).MoveToOuterDisposeScope();
        var table = zeros(maxPositions, dim);
        table[TensorIndex.Colon, TensorIndex.Slice(0, null, 2)] = sin(angles);
        table[TensorIndex.Colon, TensorIndex.Slice(1, null, 2)] = cos(angles);
        return table.MoveToOuterDisposeScope();
    }
}
