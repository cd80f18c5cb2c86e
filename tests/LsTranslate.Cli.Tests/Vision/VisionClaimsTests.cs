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

        var reversed = VisionClaims.Check([Summary(0, 0.90, 0.015, 0.012, 0.30), Summary(0.1, 0.80, 0.040, 0.02, 0.50)]);
        Assert.False(reversed[0].Shown); // accuracy dropped by 10 points
        Assert.False(reversed[1].Shown); // ECE rose
        Assert.False(reversed[2].Shown); // smoothing far worse calibrated than temperature scaling
        Assert.False(reversed[3].Shown); // clusters looser
    }

    [Fact]
    public void ADifferenceWithinTheSeedsSpreadIsNotShown()
    {
        // The quick run's tightness: 0.2394 ± 0.0190 (α = 0) vs 0.2271 ± 0.0007 (α = 0.1).
        var plain = Summary(0, 0.87, 0.010, 0.009, 0) with { TestTightness = new MeanStd(0.2394, 0.0190) };
        var smoothed = Summary(0.1, 0.88, 0.085, 0.014, 0) with { TestTightness = new MeanStd(0.2271, 0.0007) };
        Assert.False(VisionClaims.Check([plain, smoothed])[3].Shown);
        Assert.True(VisionClaims.Check([plain with { TestTightness = new MeanStd(0.2394, 0.0050) }, smoothed])[3].Shown);
    }

    [Fact]
    public void MeanStdUsesSampleStandardDeviation()
    {
        var m = MeanStd.Of([1.0, 3.0]);
        Assert.Equal(2.0, m.Mean);
        Assert.Equal(Math.Sqrt(2), m.Std, 12);
    }
}
