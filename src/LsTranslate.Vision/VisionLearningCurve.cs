using LsTranslate.Model;
using LsTranslate.Model.Runs;

namespace LsTranslate.Vision;

/// <summary>
/// A vision network's learning curve as its train-log.jsonl holds it (one point per epoch), and whether it has
/// finished learning by <see cref="ConvergenceRule"/> (validation accuracy against epochs). The derived values are
/// part of its JSON, so results.json states them per network.
/// </summary>
public sealed record VisionLearningCurve(IReadOnlyList<VisionEpochLog> Epochs)
{
    public static VisionLearningCurve Read(string modelDir) => new(new VisionModelDirectory(modelDir).ReadLog());

    /// <summary>The precisions the epochs were trained in ("bf16", "fp32", "fp32+bf16" for a run resumed in another one).</summary>
    public string Precision => string.Join("+", Epochs.Select(e => e.Precision ?? "fp32").Distinct().Order());

    public double Minutes => Epochs.Sum(e => e.Seconds) / 60;

    public VisionEpochLog? Final => Epochs.Count > 0 ? Epochs[^1] : null;

    public VisionEpochLog? NllMinimum => Epochs.Count > 0 ? Epochs.MinBy(e => e.ValidationNll) : null;

    /// <summary>Validation accuracy gained over the last 25 % of epochs (a fraction); null when the curve is too short to say.</summary>
    public double? FinalGain => ConvergenceRule.FinalGain(Epochs, e => e.Epoch, e => e.ValidationAccuracy);

    public bool Converged => ConvergenceRule.Converged(FinalGain);
}
