using LsTranslate.Cli.Experiments;
using LsTranslate.Decode.Evaluation;
using LsTranslate.Model.Training;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>The translation claims are judged on their bootstrap intervals, whatever the point estimates say.</summary>
public class TranslationClaimsTests
{
    static readonly double[] Temperatures = [0.9, 1.0, 1.1];

    static ModelResults Model(string name, double alpha)
    {
        var calibration = new TokenCalibration(1.0, 100, 3.0, Math.Exp(3.0), 0.4, 0.03, []);
        var metric = new MetricSummary(20, "BLEU = 20.00", "sig");
        var decode = new DecodeSummary(1.0, 10, metric, metric, metric, 1, "hyp.txt");
        return new ModelResults(name, new TrainingSummary(name, alpha, 10, 10, 1, 1000, 3.0), new LearningSummary("fp32", 10, 1, new LearningCurve([], [])),
            calibration, decode, new TemperatureFit(1.05, calibration, calibration), calibration with { Temperature = 1.05 }, decode with { Temperature = 1.05 },
            Temperatures.Select(t => new SweepPoint(t, 3.0, 0.03, 0.4, 20, "hyp.txt")).ToList());
    }

    static Change Change(string before, string after, Interval bleu, Interval ece, Interval nll) =>
        new(before, after, (bleu.Low + bleu.High) / 2, bleu, (ece.Low + ece.High) / 2, ece, (nll.Low + nll.High) / 2, nll);

    static TemperatureChoice Choice(double t) => new(t, new Interval(t, t), [new TemperatureShare(t, 1)]);

    /// <summary>Every effect on the paper's side by the given intervals.</summary>
    static TranslationUncertainty Uncertainty(Interval bleuGain, Interval sweepEceRise, Interval distance)
    {
        var none = new Interval(-1, 1);
        ModelUncertainty Of(string name) => new(name, Change("T = 1", "T = 1.05", bleuGain, new Interval(-0.02, -0.01), none),
            Choice(1.0), Choice(1.0), Choice(0.9),
            [Change("T = 1", "T = 0.9", new Interval(-0.8, -0.2), sweepEceRise, none), Change("T = 1", "T = 1.1", new Interval(-0.8, -0.2), new Interval(0.01, 0.02), none)]);
        return new TranslationUncertainty(1000, 1, Change("alpha-0", "alpha-0.1", bleuGain, new Interval(-0.02, -0.01), new Interval(0.05, 0.1)),
            [Of("alpha-0"), Of("alpha-0.1")], (distance.Low + distance.High) / 2, distance);
    }

    static IReadOnlyList<Claim> Check(TranslationUncertainty uncertainty) =>
        TranslationClaims.Check(Model("alpha-0", 0), Model("alpha-0.1", 0.1), new Significance("alpha-0", "alpha-0.1", 20, 20, 20, 1, 0.5, 1000), uncertainty);

    [Fact]
    public void EachClaimIsShownOnlyWhenItsWholeIntervalLiesOnTheClaimedSide()
    {
        var shown = Check(Uncertainty(new Interval(0.1, 0.5), new Interval(0.001, 0.01), new Interval(-0.3, -0.1)));
        Assert.Equal(7, shown.Count);
        Assert.All(shown, c => Assert.True(c.Shown, c.Statement));
        Assert.Contains("+0.30 BLEU [+0.10, +0.50]", shown[0].Ours);
        Assert.Contains("−0.0150 [−0.0200, −0.0100]", shown[1].Ours);

        // BLEU gains straddling zero; one swept temperature whose ECE may be lower than at T = 1; distances straddling zero.
        var noisy = Check(Uncertainty(new Interval(-0.2, 0.5), new Interval(-0.001, 0.01), new Interval(-0.3, 0.1)));
        Assert.Equal(Evidence.WithinNoise, noisy[0].Evidence);
        Assert.Equal(Evidence.WithinNoise, noisy[4].Evidence);
        Assert.Equal(Evidence.WithinNoise, noisy[5].Evidence);
        Assert.Contains("ECE at T = 0.9: +0.0045 [−0.0010, +0.0100]", noisy[5].Ours);
        Assert.Equal(Evidence.WithinNoise, noisy[6].Evidence);
        Assert.Equal(Evidence.Shown, noisy[1].Evidence);

        // Wholly on the other side: the opposite is shown.
        var opposite = Check(Uncertainty(new Interval(-0.9, -0.1), new Interval(-0.01, -0.001), new Interval(0.1, 0.3)));
        Assert.Equal(Evidence.Opposite, opposite[0].Evidence);
        Assert.Equal(Evidence.Opposite, opposite[4].Evidence);
        Assert.Equal(Evidence.Opposite, opposite[5].Evidence);
        Assert.Equal(Evidence.Opposite, opposite[6].Evidence);
    }
    /// <summary>The intervals each claim is judged on, one field each, all on the paper's side unless a test moves one.</summary>
    sealed record Intervals
    {
        public Interval SmoothingBleu { get; init; } = new(0.1, 0.5);       // claim 1: above 0
        public Interval SmoothingEce { get; init; } = new(-0.02, -0.01);    // claim 2: below 0
        public Interval SmoothingNll { get; init; } = new(0.05, 0.1);       // claim 3: above 0
        public Interval ScalingEce { get; init; } = new(-0.02, -0.01);      // claim 4: below 0 (the α = 0 model's)
        public Interval ScalingBleu { get; init; } = new(0.1, 0.3);         // claim 5: above 0 (the α = 0 model's)
        public Interval SweepEce { get; init; } = new(0.01, 0.02);          // claim 6: above 0 at each other T (the smoothed model's)
        public Interval SweepBleu { get; init; } = new(-0.8, -0.2);         // claim 6: below 0 at each other T
        public Interval Distance { get; init; } = new(-0.3, -0.1);          // claim 7: below 0
        public Interval OtherModelSweep { get; init; } = new(0.01, 0.02);   // the α = 0 model's sweep: no claim reads it
    }

    static TranslationUncertainty Built(Intervals i)
    {
        var none = new Interval(-1, 1);
        var baseline = new ModelUncertainty("alpha-0", Change("T = 1", "T = 1.05", i.ScalingBleu, i.ScalingEce, none), Choice(1.0), Choice(1.0), Choice(0.9),
            [Change("T = 1", "T = 0.9", i.OtherModelSweep, i.OtherModelSweep, none)]);
        var smoothed = new ModelUncertainty("alpha-0.1", Change("T = 1", "T = 1.05", new Interval(5, 6), new Interval(5, 6), none), Choice(1.0), Choice(1.0), Choice(0.9),
            [Change("T = 1", "T = 0.9", i.SweepBleu, i.SweepEce, none), Change("T = 1", "T = 1.1", new Interval(-0.8, -0.2), new Interval(0.01, 0.02), none)]);
        return new TranslationUncertainty(1000, 1, Change("alpha-0", "alpha-0.1", i.SmoothingBleu, i.SmoothingEce, i.SmoothingNll),
            [baseline, smoothed], (i.Distance.Low + i.Distance.High) / 2, i.Distance);
    }

    // By the rule, worked out by hand at the boundary: an interval that ends exactly at zero is not beyond it.
    public static TheoryData<int, double, double, Evidence> AboveZero => new()
    {
        { 0, 1e-9, 0.4, Evidence.Shown }, { 0, 0.0, 0.4, Evidence.WithinNoise }, { 0, -0.4, 0.0, Evidence.WithinNoise }, { 0, -0.4, -1e-9, Evidence.Opposite },
        { 2, 1e-9, 0.4, Evidence.Shown }, { 2, 0.0, 0.4, Evidence.WithinNoise }, { 2, -0.4, 0.0, Evidence.WithinNoise }, { 2, -0.4, -1e-9, Evidence.Opposite },
        { 4, 1e-9, 0.4, Evidence.Shown }, { 4, 0.0, 0.4, Evidence.WithinNoise }, { 4, -0.4, 0.0, Evidence.WithinNoise }, { 4, -0.4, -1e-9, Evidence.Opposite },
    };

    public static TheoryData<int, double, double, Evidence> BelowZero => new()
    {
        { 1, -0.4, -1e-9, Evidence.Shown }, { 1, -0.4, 0.0, Evidence.WithinNoise }, { 1, 0.0, 0.4, Evidence.WithinNoise }, { 1, 1e-9, 0.4, Evidence.Opposite },
        { 3, -0.4, -1e-9, Evidence.Shown }, { 3, -0.4, 0.0, Evidence.WithinNoise }, { 3, 0.0, 0.4, Evidence.WithinNoise }, { 3, 1e-9, 0.4, Evidence.Opposite },
        { 6, -0.4, -1e-9, Evidence.Shown }, { 6, -0.4, 0.0, Evidence.WithinNoise }, { 6, 0.0, 0.4, Evidence.WithinNoise }, { 6, 1e-9, 0.4, Evidence.Opposite },
    };

    static Intervals With(int claim, Interval interval) => claim switch
    {
        0 => new Intervals { SmoothingBleu = interval },
        1 => new Intervals { SmoothingEce = interval },
        2 => new Intervals { SmoothingNll = interval },
        3 => new Intervals { ScalingEce = interval },
        4 => new Intervals { ScalingBleu = interval },
        6 => new Intervals { Distance = interval },
        _ => throw new ArgumentOutOfRangeException(nameof(claim)),
    };

    static void OnlyThisClaimIs(int claim, Evidence expected, Intervals intervals)
    {
        var claims = Check(Built(intervals));
        Assert.Equal(7, claims.Count);
        for (int c = 0; c < claims.Count; c++)
            Assert.True(claims[c].Evidence == (c == claim ? expected : Evidence.Shown), $"claim {c + 1} ({claims[c].Statement}): {claims[c].Evidence}");
    }

    [Theory]
    [MemberData(nameof(AboveZero))]
    [MemberData(nameof(BelowZero))]
    public void EachClaimReadsItsOwnIntervalAndTheBoundaryIsNotBeyondZero(int claim, double low, double high, Evidence expected) =>
        OnlyThisClaimIs(claim, expected, With(claim, new Interval(low, high)));

    [Theory]
    // ECE(T) − ECE(1) must lie above zero and BLEU(T) − BLEU(1) below it at every other swept temperature.
    [InlineData(1e-9, 0.02, -0.8, -1e-9, Evidence.Shown)]
    [InlineData(0.0, 0.02, -0.8, -0.2, Evidence.WithinNoise)]
    [InlineData(0.01, 0.02, -0.8, 0.0, Evidence.WithinNoise)]
    [InlineData(-0.02, -1e-9, -0.8, -0.2, Evidence.Opposite)]  // ECE wholly lower at T = 0.9: changing T helped it
    [InlineData(0.01, 0.02, 1e-9, 0.8, Evidence.Opposite)]     // BLEU wholly higher at T = 0.9, even with ECE shown
    [InlineData(-0.02, -1e-9, 1e-9, 0.8, Evidence.Opposite)]
    public void ChangingTemperatureIsJudgedOnEverySweptTemperatureOfTheSmoothedModel(double eceLow, double eceHigh, double bleuLow, double bleuHigh, Evidence expected) =>
        OnlyThisClaimIs(5, expected, new Intervals { SweepEce = new(eceLow, eceHigh), SweepBleu = new(bleuLow, bleuHigh) });

    [Fact]
    public void TheUnsmoothedModelsSweepDecidesNoClaim()
    {
        OnlyThisClaimIs(-1, Evidence.Shown, new Intervals { OtherModelSweep = new(-0.5, -0.1) });
        OnlyThisClaimIs(-1, Evidence.Shown, new Intervals { OtherModelSweep = new(-0.5, 0.5) });
    }
}
