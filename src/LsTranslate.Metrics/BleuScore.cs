namespace LsTranslate.Metrics;

/// <summary>A BLEU score with the parts sacreBLEU prints.</summary>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<double> Counts,
    IReadOnlyList<double> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long HypLength,
    long RefLength,
    MetricSignature Signature) : IMetricScore
{
    public string Name => "BLEU";
    public double Ratio => RefLength > 0 ? (double)HypLength / RefLength : 0;

    public string Text => this.Line(2);
    public string Verbose =>
        $"{string.Join('/', Precisions.Select(p => PythonFormat.Fixed(p, 1)))} " +
        $"(BP = {PythonFormat.Fixed(BrevityPenalty, 3)} ratio = {PythonFormat.Fixed(Ratio, 3)} " +
        $"hyp_len = {HypLength} ref_len = {RefLength})";
}
