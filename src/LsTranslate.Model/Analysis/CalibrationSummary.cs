using LsTranslate.Model.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Analysis;

/// <summary>
/// The paper's Table 2/3 numbers for one classifier: accuracy, NLL and ECE on a test set, then the same
/// after temperature scaling with T fitted on separate held-out data.
/// </summary>
public sealed record CalibrationSummary(
    double Accuracy, double Nll, double Ece, IReadOnlyList<ReliabilityBin> Bins,
    double Temperature, double ScaledNll, double ScaledEce, IReadOnlyList<ReliabilityBin> ScaledBins)
{
    /// <summary>Measures test logits/labels; T is fitted on the fit logits/labels, never on the test set.</summary>
    public static CalibrationSummary Measure(Tensor testLogits, Tensor testLabels, Tensor fitLogits, Tensor fitLabels, int bins = 15)
    {
        double temperature = TemperatureScaling.Fit(fitLogits, fitLabels);
        var raw = new ReliabilityAccumulator(bins);
        raw.Add(testLogits, testLabels, 1.0);
        var scaled = new ReliabilityAccumulator(bins);
        scaled.Add(testLogits, testLabels, temperature);
        return new CalibrationSummary(
            raw.Accuracy, TemperatureScaling.Nll(testLogits, testLabels, 1.0), raw.Ece, raw.Bins(),
            temperature, TemperatureScaling.Nll(testLogits, testLabels, temperature), scaled.Ece, scaled.Bins());
    }

    /// <summary>
    /// What calibration.json records of a summary measured on the data its temperature was fitted on:
    /// <paramref name="count"/> <paramref name="units"/> of <paramref name="fittedOn"/>, scored by <paramref name="checkpoint"/>.
    /// </summary>
    public CalibrationRecord Record(string fittedOn, string checkpoint, long count, string units) =>
        new(Temperature, fittedOn, checkpoint, count, units, Nll, ScaledNll, Ece, ScaledEce);
}
