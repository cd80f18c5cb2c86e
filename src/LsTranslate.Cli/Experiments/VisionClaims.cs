using LsTranslate.Decode.Evaluation;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// The paper's vision claims, each judged by EvidenceRule from our numbers (α = 0 against the largest α > 0) on mean ±
/// spread over seeds: the difference of the two means, give or take the two standard deviations added. With one seed
/// the spread is zero and the means alone decide.
/// </summary>
public static class VisionClaims
{
    /// <summary>Tolerance of "does not hurt accuracy": half a point, about one seed's spread in the quick run.</summary>
    const double AccuracyMargin = 0.005;

    public static IReadOnlyList<Claim> Check(IReadOnlyList<VisionAlphaSummary> summaries)
    {
        var baseline = summaries.FirstOrDefault(s => s.Alpha == 0);
        var smoothed = summaries.Where(s => s.Alpha > 0).OrderBy(s => s.Alpha).LastOrDefault();
        if (baseline is null || smoothed is null) return [];
        string a = $"α = {smoothed.Alpha}";
        var accuracy = Difference(smoothed.Accuracy, baseline.Accuracy);
        var ece = Difference(smoothed.Ece, baseline.Ece);
        var againstScaling = Difference(smoothed.Ece, baseline.ScaledEce);
        // "About as well": within half the scaled ECE plus 0.01 of it.
        double scalingMargin = baseline.ScaledEce.Mean * 0.5 + 0.01;
        var tightness = Difference(smoothed.TestTightness, baseline.TestTightness);
        return
        [
            new("Label smoothing does not hurt accuracy (by more than half a point)", "Table 1: it often helps",
                $"accuracy {baseline.Accuracy} (α = 0) vs {smoothed.Accuracy} ({a}): {Claims.MeanSpread(accuracy)}, claimed above −{AccuracyMargin}",
                EvidenceRule.Above(accuracy, -AccuracyMargin)),
            new("Label smoothing lowers ECE without temperature scaling", "Table 2",
                $"ECE {baseline.Ece} (α = 0) vs {smoothed.Ece} ({a}): {Claims.MeanSpread(ece)}; fitted T {baseline.Temperature} vs {smoothed.Temperature} " +
                "(T < 1: the network is underconfident, T > 1: overconfident)",
                EvidenceRule.Below(ece)),
            new("Label smoothing alone calibrates about as well as temperature scaling of the α = 0 network", "Table 2",
                $"ECE of {a} without T: {smoothed.Ece} vs ECE after T at α = 0: {baseline.ScaledEce}: {Claims.MeanSpread(againstScaling)}, claimed below +{scalingMargin:0.0000}",
                EvidenceRule.Below(againstScaling, scalingMargin)),
            new("Label smoothing tightens penultimate-layer clusters", "Figure 1",
                $"test tightness (within-class spread / centroid distance) {baseline.TestTightness} (α = 0) vs {smoothed.TestTightness} ({a}): {Claims.MeanSpread(tightness)}",
                EvidenceRule.Below(tightness)),
        ];
    }

    /// <summary>after − before, give or take both seeds' standard deviations.</summary>
    static Interval Difference(MeanStd after, MeanStd before) => EvidenceRule.Around(after.Mean - before.Mean, after.Std + before.Std);
}
