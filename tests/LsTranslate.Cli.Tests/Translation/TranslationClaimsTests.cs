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
}
