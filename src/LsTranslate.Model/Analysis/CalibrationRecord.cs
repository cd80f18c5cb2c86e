using static TorchSharp.torch;
using LsTranslate.Model.Runs;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// calibration.json beside a run: the temperature fitted by held-out NLL, the data and checkpoint it was fitted on,
/// and the NLL and ECE there before and after. `decode --temperature auto`, reports and the server read T from here.
/// </summary>
/// <param name="FittedOn">the held-out data (a dev file, or a classifier's validation split).</param>
/// <param name="Checkpoint">the checkpoint whose logits were scaled (best, last, …).</param>
/// <param name="Units">what <paramref name="Count"/> counts: target tokens (translation) or images (vision).</param>
public sealed record CalibrationRecord(double Temperature, string FittedOn, string Checkpoint, long Count, string Units,
    double NllBefore, double NllAfter, double EceBefore, double EceAfter)
{
    /// <summary>Fits T on held-out logits [N,K] and labels [N] and measures NLL and ECE (15 bins) at T = 1 and at T.</summary>
    public static CalibrationRecord Fit(Tensor logits, Tensor labels, string fittedOn, string checkpoint, string units) =>
        Of(CalibrationSummary.Measure(logits, labels, logits, labels), fittedOn, checkpoint, labels.shape[0], units);

    /// <summary>The record of a summary measured on the data its temperature was fitted on.</summary>
    public static CalibrationRecord Of(CalibrationSummary fitted, string fittedOn, string checkpoint, long count, string units) =>
        new(fitted.Temperature, fittedOn, checkpoint, count, units, fitted.Nll, fitted.ScaledNll, fitted.Ece, fitted.ScaledEce);
}
