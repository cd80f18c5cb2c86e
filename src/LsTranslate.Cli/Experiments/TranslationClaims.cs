namespace LsTranslate.Cli.Experiments;

/// <summary>
/// The paper's claims about translation (Müller et al. 2019, Section 4 and Figure 4), each judged from our
/// numbers only. Nothing here is written by hand: change the numbers and the verdicts change.
/// </summary>
public static class TranslationClaims
{
    public static IReadOnlyList<Claim> Check(ModelResults baseline, ModelResults smoothed, Significance significance)
    {
        string a = $"α = {smoothed.Training.Alpha:0.###}";
        var claims = new List<Claim>
        {
            new("Label smoothing improves BLEU", "25.3 → 25.8",
                $"{baseline.Decode.Bleu.Score:F2} → {smoothed.Decode.Bleu.Score:F2} ({a}; paired bootstrap p = {significance.PValue:F3})",
                smoothed.Decode.Bleu.Score > baseline.Decode.Bleu.Score),
            new("Label smoothing lowers ECE", "0.056 → 0.019",
                $"{baseline.Test.Ece:F4} → {smoothed.Test.Ece:F4}", smoothed.Test.Ece < baseline.Test.Ece),
            new("Label smoothing worsens NLL", "higher NLL with LS",
                $"{baseline.Test.Nll:F4} → {smoothed.Test.Nll:F4}", smoothed.Test.Nll > baseline.Test.Nll),
            new("Temperature scaling lowers the α = 0 model's ECE", "0.056 → 0.018 (T = 1.13)",
                $"{baseline.Test.Ece:F4} → {baseline.ScaledTest.Ece:F4} (T = {baseline.Fit.Temperature:F3}, fitted on dev)",
                baseline.ScaledTest.Ece < baseline.Test.Ece),
            new("Temperature scaling raises the α = 0 model's BLEU a little", "25.3 → 25.4",
                $"{baseline.Decode.Bleu.Score:F2} → {baseline.ScaledDecode.Bleu.Score:F2}",
                baseline.ScaledDecode.Bleu.Score > baseline.Decode.Bleu.Score),
            ChangingTemperatureHurtsSmoothedModel(smoothed),
            EceBeatsNllAsBleuPredictor(baseline, smoothed),
        };
        return claims;
    }

    /// <summary>T = 1 is the smoothed model's best ECE and best BLEU among the swept temperatures.</summary>
    static Claim ChangingTemperatureHurtsSmoothedModel(ModelResults smoothed)
    {
        var atOne = smoothed.Sweep.FirstOrDefault(p => p.Temperature == 1.0);
        var others = smoothed.Sweep.Where(p => p.Temperature != 1.0).ToList();
        if (atOne is null || others.Count == 0)
            return new("Changing T on the label-smoothed model worsens its ECE and BLEU", "T = 1 best", "sweep lacks T = 1 or other temperatures", false);
        bool eceWorse = others.All(p => p.Ece >= atOne.Ece);
        bool bleuWorse = others.All(p => p.Bleu <= atOne.Bleu);
        var bestEce = smoothed.Sweep.MinBy(p => p.Ece)!;
        var bestBleu = smoothed.Sweep.MaxBy(p => p.Bleu)!;
        return new("Changing T on the label-smoothed model worsens its ECE and BLEU", "T = 1 best for both",
            $"lowest ECE at T = {bestEce.Temperature:0.0#} ({bestEce.Ece:F4} vs {atOne.Ece:F4} at 1); best sweep BLEU at T = {bestBleu.Temperature:0.0#} ({bestBleu.Bleu:F2} vs {atOne.Bleu:F2} at 1)",
            eceWorse && bleuWorse);
    }

    /// <summary>Over both models, the lowest-ECE temperature lies closer to the best-BLEU temperature than the lowest-NLL one.</summary>
    static Claim EceBeatsNllAsBleuPredictor(params ModelResults[] models)
    {
        double eceDistance = 0, nllDistance = 0;
        var parts = new List<string>();
        foreach (var m in models)
        {
            double bleuT = m.Sweep.MaxBy(p => p.Bleu)!.Temperature, eceT = m.Sweep.MinBy(p => p.Ece)!.Temperature, nllT = m.Sweep.MinBy(p => p.Nll)!.Temperature;
            eceDistance += Math.Abs(eceT - bleuT);
            nllDistance += Math.Abs(nllT - bleuT);
            parts.Add($"{m.Name}: best BLEU T = {bleuT:0.0#}, lowest ECE T = {eceT:0.0#}, lowest NLL T = {nllT:0.0#}");
        }
        return new("The lowest-ECE temperature predicts the best-BLEU temperature better than the lowest-NLL one", "Figure 4",
            $"{string.Join("; ", parts)} (summed distance: ECE {eceDistance:0.0#}, NLL {nllDistance:0.0#})", eceDistance < nllDistance);
    }
}
