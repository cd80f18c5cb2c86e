using static TorchSharp.torch;

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
    public static CalibrationRecord Fit(Tensor logits, Tensor labels, string fittedOn, string checkpoint, string units)
    {
        double temperature = TemperatureScaling.Fit(logits, labels);
        double Ece(double t)
        {
            var reliability = new ReliabilityAccumulator();
            reliability.Add(logits, labels, t);
            return reliability.Ece;
        }
        return new CalibrationRecord(temperature, fittedOn, checkpoint, labels.shape[0], units,
            TemperatureScaling.Nll(logits, labels, 1.0), TemperatureScaling.Nll(logits, labels, temperature), Ece(1.0), Ece(temperature));
    }
}
