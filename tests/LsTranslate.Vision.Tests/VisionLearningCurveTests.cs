using System.Text.Json;
using LsTranslate.Vision;

namespace LsTranslate.Vision.Tests;

public class VisionLearningCurveTests
{
    static VisionLearningCurve Curve(params double[] validationAccuracy) => new(validationAccuracy
        .Select((accuracy, i) => new VisionEpochLog(i + 1, 0.1, 0.5, 0.5, 0.9, accuracy, 1 - accuracy + (i == 2 ? -0.5 : 0), 30, 300, i < 2 ? "fp32" : "bf16"))
        .ToList());

    [Fact]
    public void FinishedWhenTheLastQuarterOfEpochsGainsLessThanHalfAPoint()
    {
        // 8 epochs: the window runs from epoch 6 (75 %) to epoch 8.
        var finished = Curve(0.5, 0.7, 0.8, 0.85, 0.88, 0.900, 0.903, 0.904);
        Assert.Equal(0.004, finished.FinalGain!.Value, 9);
        Assert.True(finished.Converged);
        var climbing = Curve(0.5, 0.7, 0.8, 0.85, 0.88, 0.900, 0.903, 0.906);
        Assert.False(climbing.Converged);
        Assert.False(Curve(0.9).Converged); // one epoch says nothing
    }

    [Fact]
    public void StatesPrecisionTimeAndNllMinimumAndWritesThemToJson()
    {
        var curve = Curve(0.5, 0.7, 0.8, 0.85);
        Assert.Equal("bf16+fp32", curve.Precision); // resumed in another precision
        Assert.Equal(2.0, curve.Minutes, 9);
        Assert.Equal(3, curve.NllMinimum!.Epoch);
        var json = JsonSerializer.Serialize(curve);
        Assert.Contains("\"Converged\":false", json);
        Assert.Contains("\"FinalGain\":", json);
    }
}
