using LsTranslate.Model.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Analysis;

public class LogitMutualInformationTests
{
    const int N = 40, L = 5;

    [Fact]
    public void WellSeparatedExamplesGiveLogN()
    {
        var generator = new Generator(seed: 1);
        using var means = arange(N, dtype: float64).unsqueeze(1) * 100;
        using var samples = means + randn(N, L, dtype: float64, generator: generator);
        Assert.Equal(Math.Log(N), LogitMutualInformation.Estimate(samples), 6);
    }

    [Fact]
    public void IdenticalExamplesGiveZero()
    {
        var generator = new Generator(seed: 2);
        using var one = randn(1, L, dtype: float64, generator: generator);
        using var samples = one.expand(N, L).contiguous();
        Assert.Equal(0.0, LogitMutualInformation.Estimate(samples), 12);
    }

    [Fact]
    public void ExamplesThatOnlyShowTheirClassGiveLog2()
    {
        // Two tight classes far apart: Y tells the class (1 bit) but nothing about the example within it.
        var generator = new Generator(seed: 3);
        using var noise = randn(1, L, dtype: float64, generator: generator);
        using var classOf = (arange(N) % 2).to(float64).unsqueeze(1) * 1000;
        using var samples = classOf + noise;
        Assert.Equal(Math.Log(2), LogitMutualInformation.Estimate(samples), 6);
    }

    [Fact]
    public void CopiesWithoutAnySpreadDoNotDivideByZero()
    {
        using var samples = arange(N, dtype: float64).unsqueeze(1).expand(N, L).contiguous();
        Assert.Equal(Math.Log(N), LogitMutualInformation.Estimate(samples), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void EstimateStaysWithinZeroAndLogN(int seed)
    {
        var generator = new Generator(seed: (ulong)seed);
        foreach (var spread in new[] { 0.0, 1e-6, 0.3, 1, 3, 30, 1e6 })
        {
            using var means = randn(N, 1, dtype: float64, generator: generator) * spread;
            using var samples = means + randn(N, L, dtype: float64, generator: generator) * (seed % 2 == 0 ? 1.0 : 0.01);
            double information = LogitMutualInformation.Estimate(samples);
            // The upper end comes from the estimator itself (up to last-digit rounding); the lower end is where
            // Monte Carlo error is clamped.
            Assert.InRange(information, -1e-12, Math.Log(N) + 1e-12);
        }
    }

    [Fact]
    public void InformationGrowsAsTheExamplesMoveApart()
    {
        var generator = new Generator(seed: 5);
        using var noise = randn(N, L, dtype: float64, generator: generator);
        using var positions = randn(N, 1, dtype: float64, generator: generator);
        var estimates = new[] { 0.3, 1, 3, 10 }.Select(spread =>
        {
            using var samples = positions * spread + noise;
            return LogitMutualInformation.Estimate(samples);
        }).ToArray();
        for (int i = 1; i < estimates.Length; i++) Assert.True(estimates[i] > estimates[i - 1], string.Join(" < ", estimates));
        Assert.InRange(estimates[0], 0, 1);
        Assert.InRange(estimates[^1], 1, Math.Log(N));
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        using var oneCopy = zeros(5, 1);
        using var flat = zeros(5);
        Assert.Throws<ArgumentException>(() => LogitMutualInformation.Estimate(oneCopy));
        Assert.Throws<ArgumentException>(() => LogitMutualInformation.Estimate(flat));
    }
}
