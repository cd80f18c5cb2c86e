using LsTranslate.Model.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Losses;

public class ChunkedSmoothedLossTests
{
    /// <summary>The closed-form gradients, chunk by chunk, against autograd through the unchunked loss in float64.</summary>
    [Theory]
    [InlineData(0.0, 7, false)]
    [InlineData(0.1, 7, false)]
    [InlineData(0.1, 1000, false)]
    [InlineData(0.4, 3, false)]
    [InlineData(0.1, 7, true)]
    public void LossAndGradientsMatchAutogradThroughTheWholeLogits(double alpha, int chunkRows, bool withBias)
    {
        var generator = new Generator(seed: 11);
        using var features = randn(40, 16, generator: generator) * 2;
        using var weight = randn(50, 16, generator: generator);
        using var bias = randn(50, generator: generator);
        using var targets = randint(0, 50, [40], generator: generator);

        using var f64 = features.to(float64).requires_grad_(true);
        using var w64 = weight.to(float64).requires_grad_(true);
        using var b64 = bias.to(float64).requires_grad_(true);
        var logits = f64.matmul(w64.t());
        using var reference = LabelSmoothedCrossEntropy.Loss(withBias ? logits + b64 : logits, targets, alpha) * 40;
        reference.backward();

        var ours = ChunkedSmoothedLoss.Compute(features, weight, withBias ? bias : null, targets, alpha, ScalarType.Float32, chunkRows);
        Assert.Equal(reference.item<double>(), ours.LossSum.item<double>(), 3);
        Assert.True(ours.FeatureGrad.allclose(f64.grad!.to(float32), rtol: 1e-4, atol: 1e-5));
        Assert.True(ours.WeightGrad.allclose(w64.grad!.to(float32), rtol: 1e-4, atol: 1e-5));
        if (withBias) Assert.True(ours.BiasGrad!.allclose(b64.grad!.to(float32), rtol: 1e-4, atol: 1e-5));
        else Assert.Null(ours.BiasGrad);
    }

    [Fact]
    public void Bf16ProductsStayCloseToFloat32()
    {
        var generator = new Generator(seed: 5);
        using var features = randn(64, 32, generator: generator);
        using var weight = randn(300, 32, generator: generator) * 0.3;
        using var targets = randint(0, 300, [64], generator: generator);
        var fp32 = ChunkedSmoothedLoss.Compute(features, weight, null, targets, 0.1, ScalarType.Float32);
        var bf16 = ChunkedSmoothedLoss.Compute(features, weight, null, targets, 0.1, ScalarType.BFloat16, chunkRows: 16);
        Assert.Equal(fp32.LossSum.item<double>(), bf16.LossSum.item<double>(), fp32.LossSum.item<double>() * 0.01);
        Assert.True(bf16.FeatureGrad.allclose(fp32.FeatureGrad, rtol: 0.05, atol: 2e-3));
    }
}
