namespace LsTranslate.Model.Runs;

/// <summary>
/// What makes a validation the best so far, which checkpoint.best then holds: the lowest dev NLL for translation (as
/// fairseq), the highest validation accuracy for vision (as the paper's image recipes). Its name is in every validation
/// line of the log.
/// </summary>
public sealed record BestMetric(string Name, bool HigherIsBetter)
{
    public static readonly BestMetric DevNll = new("dev_nll", HigherIsBetter: false);
    public static readonly BestMetric ValidationAccuracy = new("validation_accuracy", HigherIsBetter: true);

    /// <summary>The value before any validation: every real value beats it.</summary>
    public double Unset => HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    public bool Improves(double value, double best) => HigherIsBetter ? value > best : value < best;
}
