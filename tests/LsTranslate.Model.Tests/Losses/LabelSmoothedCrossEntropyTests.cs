using LsTranslate.Model.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Losses;

public class LabelSmoothedCrossEntropyTests
{
    [Fact]
    public void MatchesHandComputedValueAndIgnoresPadding()
    {
        // Row 0: probabilities (1/4, 1/2, 1/4), gold 1, α = 0.3:
        // 0.7·ln 2 + 0.3·(ln 4 + ln 2 + ln 4)/3 = 1.2·ln 2. Row 1 is padding with extreme logits.
        using var logits = tensor(new double[,] { { 0, Math.Log(2), 0 }, { 50, -50, 7 } });
        using var targets = tensor(new long[] { 1, -100 });
        using var parts = LabelSmoothedCrossEntropy.Compute(logits, targets, 0.3);
        Assert.Equal(1.2 * Math.Log(2), parts.Loss.item<double>(), 10);
        Assert.Equal(Math.Log(2), parts.NllSum.item<double>(), 10);
        Assert.Equal(1.0, parts.Count.item<double>());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.4)]
    public void AgreesWithTorchCrossEntropyLabelSmoothing(double alpha)
    {
        var generator = new Generator(seed: 7);
        using var logits = randn(64, 11, dtype: float64, generator: generator) * 3;
        using var targets = randint(0, 11, [64], generator: generator);
        targets[TensorIndex.Slice(0, 64, 5)] = tensor(3L); // a pad id (3) every fifth position
        using var ours = LabelSmoothedCrossEntropy.Loss(logits, targets, alpha, ignoreIndex: 3);
        using var theirs = nn.functional.cross_entropy(logits, targets, ignore_index: 3, label_smoothing: alpha);
        Assert.Equal(theirs.item<double>(), ours.item<double>(), 10);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void PerRowIsTorchsLabelSmoothedCrossEntropyOfEachRow(double alpha)
    {
        var generator = new Generator(seed: 11);
        using var logits = randn(32, 9, dtype: float64, generator: generator) * 4;
        using var targets = randint(0, 9, [32], generator: generator);
        using var perRow = LabelSmoothedCrossEntropy.PerRow(logits, logits.logsumexp(-1, keepdim: true), targets, alpha);
        using var theirs = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.None, label_smoothing: alpha);
        Assert.Equal(theirs.data<double>().ToArray(), perRow.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void GradientIsSoftmaxMinusSmoothedTargetAndZeroOnPadding()
    {
        const double alpha = 0.2;
        using var logits = tensor(new double[,] { { 1, 2, 3, 4 }, { 0, 0, 1, 0 }, { 5, 1, 1, 1 } }).requires_grad_(true);
        using var targets = tensor(new long[] { 2, -100, 0 });
        using var loss = LabelSmoothedCrossEntropy.Loss(logits, targets, alpha);
        loss.backward();

        using var probs = nn.functional.softmax(logits.detach(), -1);
        using var smoothed = full(3, 4, alpha / 4, dtype: float64);
        smoothed[0, 2] = tensor(1 - alpha + alpha / 4);
        smoothed[2, 0] = tensor(1 - alpha + alpha / 4);
        using var expected = (probs - smoothed) / 2;
        expected[1] = zeros(4, dtype: float64);
        Assert.True(logits.grad!.allclose(expected, rtol: 1e-9, atol: 1e-12));
    }

    [Fact]
    public void AllPaddingGivesZeroLossNotNaN()
    {
        using var logits = randn(2, 5);
        using var targets = tensor(new long[] { -100, -100 });
        using var loss = LabelSmoothedCrossEntropy.Loss(logits, targets, 0.1);
        Assert.Equal(0.0, loss.item<float>());
    }
}
