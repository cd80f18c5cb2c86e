namespace LsTranslate.Cli.Experiments;

/// <summary>
/// The paper's vision claims, each decided from our numbers (α = 0 against the largest α > 0): a difference counts
/// only where it is larger than the spread over seeds.
/// </summary>
public static class VisionClaims
{
    /// <summary>Lower by more than the seeds' spread (the two standard deviations added); with one seed, simply lower.</summary>
    static bool ClearlyBelow(MeanStd lower, MeanStd higher) => lower.Mean < higher.Mean - (lower.Std + higher.Std);

    public static IReadOnlyList<Claim> Check(IReadOnlyList<VisionAlphaSummary> summaries)
    {
        var baseline = summaries.FirstOrDefault(s => s.Alpha == 0);
        var smoothed = summaries.Where(s => s.Alpha > 0).OrderBy(s => s.Alpha).LastOrDefault();
        if (baseline is null || smoothed is null) return [];
        string a = $"α = {smoothed.Alpha}";
        return
        [
            new("Label smoothing does not hurt accuracy", "Table 1: it often helps",
                $"accuracy {baseline.Accuracy} (α = 0) vs {smoothed.Accuracy} ({a})",
                smoothed.Accuracy.Mean >= baseline.Accuracy.Mean - Math.Max(0.005, baseline.Accuracy.Std + smoothed.Accuracy.Std)),
            new("Label smoothing lowers ECE without temperature scaling", "Table 2",
                $"ECE {baseline.Ece} (α = 0) vs {smoothed.Ece} ({a}); fitted T {baseline.Temperature} vs {smoothed.Temperature} " +
                "(T < 1: the network is underconfident, T > 1: overconfident)",
                ClearlyBelow(smoothed.Ece, baseline.Ece)),
            new("Label smoothing alone calibrates about as well as temperature scaling of the α = 0 network", "Table 2",
                $"ECE of {a} without T: {smoothed.Ece} vs ECE after T at α = 0: {baseline.ScaledEce}",
                smoothed.Ece.Mean <= baseline.ScaledEce.Mean * 1.5 + 0.01),
            new("Label smoothing tightens penultimate-layer clusters", "Figure 1",
                $"test tightness (within-class spread / centroid distance) {baseline.TestTightness} (α = 0) vs {smoothed.TestTightness} ({a})",
                ClearlyBelow(smoothed.TestTightness, baseline.TestTightness)),
        ];
    }
}
