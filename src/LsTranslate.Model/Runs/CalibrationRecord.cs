namespace LsTranslate.Model.Runs;

/// <summary>
/// calibration.json beside a run: the temperature fitted by held-out NLL, the data and checkpoint it was fitted on,
/// and the NLL and ECE there before and after. `decode --temperature auto`, reports and the server read T from here; <see cref="Analysis.CalibrationSummary.Record"/> makes one.
/// </summary>
/// <param name="FittedOn">the held-out data (a dev file, or a classifier's validation split).</param>
/// <param name="Checkpoint">the checkpoint whose logits were scaled (best, last, …).</param>
/// <param name="Units">what <paramref name="Count"/> counts: target tokens (translation) or images (vision).</param>
public sealed record CalibrationRecord(double Temperature, string FittedOn, string Checkpoint, long Count, string Units,
    double NllBefore, double NllAfter, double EceBefore, double EceAfter);
