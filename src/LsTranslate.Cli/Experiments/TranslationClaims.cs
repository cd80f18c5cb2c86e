using System.Globalization;
using LsTranslate.Decode.Evaluation;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// The paper's claims about translation (Müller et al. 2019, Section 4 and Figure 4), each judged from our numbers only,
/// by EvidenceRule on the 95 % paired-bootstrap interval of its effect over test sentences. Nothing here is written by
/// hand: change the numbers and the verdicts change.
/// </summary>
public static class TranslationClaims
{
    public static IReadOnlyList<Claim> Check(ModelResults baseline, ModelResults smoothed, Significance significance, TranslationUncertainty uncertainty)
    {
        string a = $"α = {smoothed.Training.Alpha:0.###}";
        var smoothing = uncertainty.Smoothing;
        var scaling = uncertainty.Models.First(m => m.Name == baseline.Name).Scaling;
        return
        [
            new("Label smoothing improves BLEU", "25.3 → 25.8",
                $"{baseline.Decode.Bleu.Score:F2} → {smoothed.Decode.Bleu.Score:F2} ({a}): {Bleu(smoothing.BleuDifference, smoothing.BleuDifferenceCi)}; paired bootstrap p = {significance.PValue:F3}",
                EvidenceRule.Above(smoothing.BleuDifferenceCi)),
            new("Label smoothing lowers ECE", "0.056 → 0.019",
                $"{baseline.Test.Ece:F4} → {smoothed.Test.Ece:F4}: {Calibration(smoothing.EceDifference, smoothing.EceDifferenceCi)}",
                EvidenceRule.Below(smoothing.EceDifferenceCi)),
            new("Label smoothing worsens NLL", "higher NLL with LS",
                $"{baseline.Test.Nll:F4} → {smoothed.Test.Nll:F4}: {Calibration(smoothing.NllDifference, smoothing.NllDifferenceCi)}",
                EvidenceRule.Above(smoothing.NllDifferenceCi)),
            new("Temperature scaling lowers the α = 0 model's ECE", "0.056 → 0.018 (T = 1.13)",
                $"{baseline.Test.Ece:F4} → {baseline.ScaledTest.Ece:F4} (T = {baseline.Fit.Temperature:F3}, fitted on dev): {Calibration(scaling.EceDifference, scaling.EceDifferenceCi)}",
                EvidenceRule.Below(scaling.EceDifferenceCi)),
            new("Temperature scaling raises the α = 0 model's BLEU a little", "25.3 → 25.4",
                $"{baseline.Decode.Bleu.Score:F2} → {baseline.ScaledDecode.Bleu.Score:F2}: {Bleu(scaling.BleuDifference, scaling.BleuDifferenceCi)}",
                EvidenceRule.Above(scaling.BleuDifferenceCi)),
            ChangingTemperatureHurtsSmoothedModel(uncertainty.Models.First(m => m.Name == smoothed.Name)),
            EceBeatsNllAsBleuPredictor(uncertainty),
        ];
    }

    /// <summary>Every other swept temperature gives the smoothed model a higher ECE and a lower BLEU than T = 1.</summary>
    static Claim ChangingTemperatureHurtsSmoothedModel(ModelUncertainty smoothed)
    {
        const string statement = "Changing T on the label-smoothed model worsens its ECE and BLEU";
        if (smoothed.Sweep.Count == 0)
            return new(statement, "T = 1 best", "the sweep lacks T = 1 or other temperatures: nothing to compare", Evidence.WithinNoise);
        // The temperature that comes closest to beating T = 1 decides: the lowest interval of ECE(T) − ECE(1), the highest of BLEU(T) − BLEU(1).
        var closestEce = smoothed.Sweep.MinBy(c => c.EceDifferenceCi.Low)!;
        var closestBleu = smoothed.Sweep.MaxBy(c => c.BleuDifferenceCi.High)!;
        return new(statement, "T = 1 best for both",
            $"lowest ECE at {Choice(smoothed.LowestEce)}, best BLEU at {Choice(smoothed.BestBleu)}; against T = 1, " +
            $"ECE at {closestEce.After}: {Calibration(closestEce.EceDifference, closestEce.EceDifferenceCi)}, " +
            $"BLEU at {closestBleu.After}: {Bleu(closestBleu.BleuDifference, closestBleu.BleuDifferenceCi)}",
            EvidenceRule.All(smoothed.Sweep.SelectMany(c => new[] { EvidenceRule.Above(c.EceDifferenceCi), EvidenceRule.Below(c.BleuDifferenceCi) })));
    }

    /// <summary>Over both models, the lowest-ECE temperature lies closer to the best-BLEU temperature than the lowest-NLL one.</summary>
    static Claim EceBeatsNllAsBleuPredictor(TranslationUncertainty uncertainty)
    {
        var parts = uncertainty.Models.Select(m =>
            $"{m.Name}: best BLEU at {Choice(m.BestBleu)}, lowest ECE at {Choice(m.LowestEce)}, lowest NLL at {Choice(m.LowestNll)}");
        return new("The lowest-ECE temperature predicts the best-BLEU temperature better than the lowest-NLL one", "Figure 4",
            $"{string.Join("; ", parts)}. Summed distance to the best-BLEU T, ECE's minus NLL's: " +
            $"{Signed(uncertainty.EceMinusNllDistance, "0.0#")} {Range(uncertainty.EceMinusNllDistanceCi, "0.0#")}",
            EvidenceRule.Below(uncertainty.EceMinusNllDistanceCi));
    }

    static string Choice(TemperatureChoice c) => $"T = {c.Temperature:0.0#} [{c.TemperatureCi.Low:0.0#}, {c.TemperatureCi.High:0.0#}]";

    static string Bleu(double difference, Interval ci) => $"{Signed(difference, "0.00")} BLEU {Range(ci, "0.00")}";

    static string Calibration(double difference, Interval ci) => $"{Signed(difference, "0.0000")} {Range(ci, "0.0000")}";

    static string Signed(double value, string format) => value.ToString("+" + format + ";−" + format + ";" + format, CultureInfo.InvariantCulture);

    static string Range(Interval ci, string format) => $"[{Signed(ci.Low, format)}, {Signed(ci.High, format)}]";
}
