using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Text;

/// <summary>
/// One training batch on the CPU, int64, padded with <see cref="SpecialTokens.Pad"/>:
/// Source [B,S] (source ids), TargetIn [B,T] (BOS + target), TargetOut [B,T] (target + EOS).
/// </summary>
public sealed class TokenBatch : IDisposable
{
    internal TokenBatch(Tensor source, Tensor targetIn, Tensor targetOut, int targetTokens)
    {
        Source = source;
        TargetIn = targetIn;
        TargetOut = targetOut;
        TargetTokens = targetTokens;
        Sentences = (int)source.shape[0];
    }

    public Tensor Source { get; }
    public Tensor TargetIn { get; }
    public Tensor TargetOut { get; }

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
    }
}
