using LsTranslate.Cli.Experiments;
using LsTranslate.Decode.Evaluation;

namespace LsTranslate.Cli.Tests;

public class EvidenceRuleTests
{
    [Theory]
    [InlineData(0.1, 0.3, Evidence.Shown)]       // wholly on the claimed side
    [InlineData(-0.1, 0.3, Evidence.WithinNoise)] // straddles zero
    [InlineData(0.0, 0.3, Evidence.WithinNoise)]  // touching zero is not beyond it
    [InlineData(-0.3, -0.1, Evidence.Opposite)]   // wholly on the other side
    public void AboveZero(double low, double high, Evidence expected) => Assert.Equal(expected, EvidenceRule.Above(new Interval(low, high)));

    [Theory]
    [InlineData(-0.3, -0.1, Evidence.Shown)]
    [InlineData(-0.3, 0.1, Evidence.WithinNoise)]
    [InlineData(0.1, 0.3, Evidence.Opposite)]
    public void BelowZero(double low, double high, Evidence expected) => Assert.Equal(expected, EvidenceRule.Below(new Interval(low, high)));

    [Fact]
    public void AMarginMovesTheBound()
    {
        // A difference of −0.25 ± 0.125 lies wholly above −0.5 (not worse by more than the margin) but wholly below zero.
        var difference = EvidenceRule.Around(-0.25, 0.125);
        Assert.Equal(new Interval(-0.375, -0.125), difference);
        Assert.Equal(Evidence.Shown, EvidenceRule.Above(difference, -0.5));
        Assert.Equal(Evidence.Opposite, EvidenceRule.Above(difference));
    }

    [Fact]
    public void AClaimOfPartsIsShownOnlyWhenEveryPartIs()
    {
        Assert.Equal(Evidence.Shown, EvidenceRule.All([Evidence.Shown, Evidence.Shown]));
        Assert.Equal(Evidence.WithinNoise, EvidenceRule.All([Evidence.Shown, Evidence.WithinNoise]));
        Assert.Equal(Evidence.Opposite, EvidenceRule.All([Evidence.Shown, Evidence.WithinNoise, Evidence.Opposite]));
    }

    [Fact]
    public void VerdictsSayWhatTheIntervalShows()
    {
        Assert.Equal("shown", new Claim("s", "p", "o", Evidence.Shown).Verdict);
        Assert.Equal("within noise", new Claim("s", "p", "o", Evidence.WithinNoise).Verdict);
        Assert.Equal("no: the opposite is shown", new Claim("s", "p", "o", Evidence.Opposite).Verdict);
        Assert.False(new Claim("s", "p", "o", Evidence.WithinNoise).Shown);
    }
}
