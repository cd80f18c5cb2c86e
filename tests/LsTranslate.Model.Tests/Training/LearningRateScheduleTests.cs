using LsTranslate.Model.Training;

namespace LsTranslate.Model.Tests.Training;

/// <summary>
/// The learning rate at chosen updates, worked out by hand for a peak of 0.002 and 4 warmup updates. Inverse-sqrt is
/// Vaswani et al.'s schedule scaled to peak at the end of warmup: peak · min(step/warmup, sqrt(warmup/step)). Cosine
/// is linear warmup, then peak · (0.1 + 0.9 · ½(1 + cos(π·done))) with done = (step − warmup)/(last − warmup),
/// nanoGPT's decay to a tenth of the peak at the last update (here 104, so 100 updates of decay) and flat after it.
/// Step 0 counts as step 1 (updates are numbered from 1).
/// </summary>
public class LearningRateScheduleTests
{
    const double Peak = 0.002;
    const int Warmup = 4;

    [Theory]
    [InlineData(0, 0.0005)]    // as step 1
    [InlineData(1, 0.0005)]    // 1/4 of the peak
    [InlineData(2, 0.001)]
    [InlineData(3, 0.0015)]
    [InlineData(4, 0.002)]     // the peak, where both branches meet
    [InlineData(9, 0.0013333333333333333)] // 0.002 · sqrt(4/9) = 0.002 · 2/3
    [InlineData(16, 0.001)]    // 0.002 · sqrt(4/16)
    [InlineData(100, 0.0004)]  // 0.002 · sqrt(4/100) = 0.002 / 5
    [InlineData(40_000, 0.00002)] // 0.002 · sqrt(1/10,000)
    public void InverseSqrt(long step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(LearningRateSchedule.InverseSqrt, step, Peak, Warmup, lastStep: null), 15);

    [Theory]
    [InlineData(1, 0.0005)]
    [InlineData(2, 0.001)]
    [InlineData(4, 0.002)]                   // done = 0: the peak
    [InlineData(29, 0.0017363961030678928)]  // done = ¼: 0.002 · (0.1 + 0.45 · (1 + √2/2))
    [InlineData(54, 0.0011)]                 // done = ½: 0.002 · (0.1 + 0.45)
    [InlineData(79, 0.0004636038969321073)]  // done = ¾: 0.002 · (0.1 + 0.45 · (1 − √2/2))
    [InlineData(104, 0.0002)]                // done = 1: a tenth of the peak
    [InlineData(500, 0.0002)]                // past the last update it stays there
    public void CosineToATenthOfThePeak(long step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(LearningRateSchedule.Cosine, step, Peak, Warmup, lastStep: 104), 15);

    [Fact]
    public void CosineNeedsItsLastStep() =>
        Assert.Throws<InvalidOperationException>(() => LearningRateSchedule.At(LearningRateSchedule.Cosine, 10, Peak, Warmup, lastStep: null));
}
