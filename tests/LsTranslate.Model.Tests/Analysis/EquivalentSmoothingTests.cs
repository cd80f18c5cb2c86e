using LsTranslate.Model.Analysis;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Analysis;

public class EquivalentSmoothingTests
{
    static readonly long[] Labels = [0, 3, 1, 2];

    [Fact]
    public void OneHotTeacherIsZeroAndUniformTeacherIsOne()
    {
        using var labels = tensor(Labels);
        using var oneHot = nn.functional.one_hot(labels, 5).to(float64) * 1000;
        using var uniform = zeros(4, 5, dtype: float64);
        Assert.Equal(0.0, EquivalentSmoothing.Gamma(oneHot, labels, 1), 12);
        Assert.Equal(1.0, EquivalentSmoothing.Gamma(uniform, labels, 1), 12);
        Assert.Equal(1.0, EquivalentSmoothing.Gamma(uniform, labels, 8), 12);
    }

    [Fact]
    public void ALabelSmoothedTargetHasGammaAlphaAndHeatRaisesGamma()
    {
        const double alpha = 0.3;
        using var labels = tensor(Labels);
        using var logits = (nn.functional.one_hot(labels, 5).to(float64) * (1 - alpha) + alpha / 5).log();
        double atOne = EquivalentSmoothing.Gamma(logits, labels, 1);
        Assert.Equal(alpha, atOne, 12);
        Assert.True(EquivalentSmoothing.Gamma(logits, labels, 4) > atOne);
    }
}
