using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Batches;

/// <summary>
/// One training batch on the CPU, int64, padded with <see cref="Tokenizers.SpecialTokens.Pad"/>:
/// Source [B,S] (source ids), TargetIn [B,T] (BOS + target), TargetOut [B,T] (target + EOS).
/// </summary>
public sealed class TokenBatch : IDisposable
{
    internal TokenBatch(Tensor source, Tensor targetIn, Tensor targetOut, Tensor realTargets)
    {
        Source = source;
        TargetIn = targetIn;
        TargetOut = targetOut;
        RealTargets = realTargets;
        TargetTokens = (int)realTargets.shape[0];
        Sentences = (int)source.shape[0];
    }

    public Tensor Source { get; }
    public Tensor TargetIn { get; }
    public Tensor TargetOut { get; }

    /// <summary>
    /// [N] int64: where the real (non-pad) tokens of TargetOut lie in its flattened [B·T] grid, row by row. Made on the
    /// host with the batch, so that selecting them on a device needs no readback there.
    /// </summary>
    public Tensor RealTargets { get; }

    /// <summary>The rows of <paramref name="features"/> [B, T, D] at the real target positions, [N, D], and their gold labels [N], on the features' device.</summary>
    public (Tensor Rows, Tensor Labels) RealRows(Tensor features)
    {
        var real = RealTargets.to(features.device);
        return (features.view(-1, features.shape[^1]).index_select(0, real), TargetOut.view(-1).index_select(0, RealTargets).to(features.device));
    }

    /// <summary>Real (non-pad) tokens of TargetOut, EOS included: the count a per-token loss divides by.</summary>
    public int TargetTokens { get; }

    public int Sentences { get; }

    /// <summary>Where set, the seed this batch's dropout draws from, so that a batch draws the same masks in whichever process or position of an update it runs.</summary>
    public long? DropoutSeed { get; init; }

    public void Dispose()
    {
        Source.Dispose();
        TargetIn.Dispose();
        TargetOut.Dispose();
        RealTargets.Dispose();
    }
}
