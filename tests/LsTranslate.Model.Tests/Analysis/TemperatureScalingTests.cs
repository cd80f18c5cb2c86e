using LsTranslate.Model.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Analysis;

public class TemperatureScalingTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.5)]
    public void FitRecoversPlantedTemperature(double planted)
    {
        var generator = new Generator(seed: 11);
        using var logits = randn(20000, 10, dtype: float64, generator: generator) * 3;
        using var probs = nn.functional.softmax(logits / planted, -1);
        using var labels = multinomial(probs, 1, generator: generator).squeeze(1);

        var fitted = TemperatureScaling.Fit(logits, labels);

        Assert.InRange(fitted, planted * 0.95, planted * 1.05);
        Assert.True(TemperatureScaling.Nll(logits, labels, fitted) <= TemperatureScaling.Nll(logits, labels, planted) + 1e-9);
    }

    [Fact]
    public void NllAtTemperatureOneIsCrossEntropy()
    {
        using var logits = tensor(new double[,] { { 0, Math.Log(3) } });
        using var labels = tensor(new long[] { 1 });
        Assert.Equal(-Math.Log(0.75), TemperatureScaling.Nll(logits, labels, 1.0), 12);
        Assert.Equal(-Math.Log(Math.Sqrt(3) / (1 + Math.Sqrt(3))), TemperatureScaling.Nll(logits, labels, 2.0), 12);
    }
}
