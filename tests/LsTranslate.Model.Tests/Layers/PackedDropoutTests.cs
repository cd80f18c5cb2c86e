using LsTranslate.Model.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Layers;

public class PackedDropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void DropsAboutPAndScalesTheRestToKeepTheMean(double p)
    {
        manual_seed(2);
        var dropout = new PackedDropout(p);
        dropout.train();
        using var x = ones(1000, 997);
        using var y = dropout.forward(x);
        double dropped = y.eq(0).to(float64).mean().item<double>();
        Assert.Equal(p, dropped, 2);
        Assert.True(y.masked_select(y.ne(0)).allclose(full(1, 1 / (1 - p))), "kept values are not scaled by 1/(1-p)");
        Assert.Equal(1.0, y.mean().item<float>(), 2);
    }

    [Fact]
    public void IsTheIdentityInEvalModeAndRepeatsUnderTheSameSeed()
    {
        var dropout = new PackedDropout(0.5);
        using var x = randn(7, 13);
        dropout.eval();
        Assert.True(dropout.forward(x).allclose(x, 0, 0));
        dropout.train();
        manual_seed(9);
        using var first = dropout.forward(x);
        manual_seed(9);
        using var second = dropout.forward(x);
        Assert.True(first.allclose(second, 0, 0));
        Assert.False(first.allclose(x, 0, 0));
    }
}
