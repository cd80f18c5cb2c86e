using LsTranslate.Cli.Experiments;

namespace LsTranslate.Cli.Tests.Vision;

public class VisionClaimsTests
{
    static VisionAlphaSummary Summary(double alpha, double accuracy, double ece, double scaledEce, double tightness)
    {
        static MeanStd M(double v) => new(v, 0);
        return new VisionAlphaSummary(alpha, 1, M(accuracy), M(0.3), M(ece), M(1.2), M(scaledEce), M(0.29), M(tightness));
    }

    [Fact]
    public void ClaimsFollowTheNumbers()
    {
        var claims = VisionClaims.Check([Summary(0, 0.90, 0.040, 0.012, 0.50), Summary(0.1, 0.91, 0.015, 0.02, 0.30)]);
        Assert.Equal(4, claims.Count);
        Assert.All(claims, c => Assert.True(c.Shown, c.Statement));

        // With one seed (no spread) the means decide, and each reversal shows the opposite.
        var reversed = VisionClaims.Check([Summary(0, 0.90, 0.015, 0.012, 0.30), Summary(0.1, 0.80, 0.040, 0.02, 0.50)]);
        Assert.All(reversed, c => Assert.Equal(Evidence.Opposite, c.Evidence)); // accuracy −10 points, ECE up, far worse than scaling, clusters looser
    }

    [Fact]
    public void ADifferenceWithinTheSeedsSpreadIsWithinNoise()
    {
        // The quick run's tightness: 0.2394 ± 0.0190 (α = 0) vs 0.2271 ± 0.0007 (α = 0.1): −0.0123 ± 0.0197 straddles zero.
        var plain = Summary(0, 0.87, 0.010, 0.009, 0) with { TestTightness = new MeanStd(0.2394, 0.0190) };
        var smoothed = Summary(0.1, 0.88, 0.085, 0.014, 0) with { TestTightness = new MeanStd(0.2271, 0.0007) };
        var claim = VisionClaims.Check([plain, smoothed])[3];
        Assert.Equal(Evidence.WithinNoise, claim.Evidence);
        Assert.Contains("difference −0.0123 ± 0.0197", claim.Ours);
        // −0.0123 ± 0.0057 lies wholly below zero.
        Assert.True(VisionClaims.Check([plain with { TestTightness = new MeanStd(0.2394, 0.0050) }, smoothed])[3].Shown);
        // +0.0123 ± 0.0057 lies wholly above: looser clusters are shown.
        Assert.Equal(Evidence.Opposite, VisionClaims.Check([plain with { TestTightness = new MeanStd(0.2271, 0.0007) },
            smoothed with { TestTightness = new MeanStd(0.2394, 0.0050) }])[3].Evidence);
    }

    [Fact]
    public void NotHurtingAccuracyNeedsTheWholeIntervalAboveMinusHalfAPoint()
    {
        MeanStd Accuracy(double mean, double std) => new(mean, std);
        Evidence Judged(MeanStd plain, MeanStd smoothed) =>
            VisionClaims.Check([Summary(0, 0, 0.04, 0.01, 0.5) with { Accuracy = plain }, Summary(0.1, 0, 0.01, 0.01, 0.3) with { Accuracy = smoothed }])[0].Evidence;
        // The quick run's: +0.0035 ± 0.0122 reaches down to −0.0087, more than half a point worse.
        Assert.Equal(Evidence.WithinNoise, Judged(Accuracy(0.8965, 0.0044), Accuracy(0.9000, 0.0078)));
        Assert.Equal(Evidence.Shown, Judged(Accuracy(0.8965, 0.0020), Accuracy(0.9000, 0.0020))); // +0.0035 ± 0.0040
        Assert.Equal(Evidence.Shown, Judged(Accuracy(0.9000, 0), Accuracy(0.8970, 0)));           // 0.3 points worse: within the margin
        Assert.Equal(Evidence.Opposite, Judged(Accuracy(0.9000, 0.0010), Accuracy(0.8900, 0.0010))); // −0.0100 ± 0.0020
    }

    [Fact]
    public void MeanStdUsesSampleStandardDeviation()
    {
        var m = MeanStd.Of([1.0, 3.0]);
        Assert.Equal(2.0, m.Mean);
        Assert.Equal(Math.Sqrt(2), m.Std, 12);
    }
}
