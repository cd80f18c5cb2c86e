using LsTranslate.Model.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Losses;

public class DistillationLossTests
{
    [Fact]
    public void BetaZeroIsPlainCrossEntropyWhateverTheTeacherSays()
    {
        var generator = new Generator(seed: 3);
        using var student = randn(16, 5, dtype: float64, generator: generator);
        using var teacher = randn(16, 5, dtype: float64, generator: generator) * 4;
        using var labels = randint(0, 5, [16], generator: generator);
        using var parts = DistillationLoss.Compute(student, teacher, labels, beta: 0, temperature: 3);
        using var plain = nn.functional.cross_entropy(student, labels);
        Assert.Equal(plain.item<double>(), parts.Loss.item<double>(), 12);
    }

    [Fact]
    public void TemperatureOneBetaOneIsCrossEntropyAgainstTheTeachersProbabilities()
    {
        // Teacher probabilities (1/4, 1/2, 1/4), student (1/2, 1/4, 1/4):
        // H = −(1/4 ln 1/2 + 1/2 ln 1/4 + 1/4 ln 1/4) = 1.75 ln 2, whatever the gold label.
        using var teacher = tensor(new double[,] { { 0, Math.Log(2), 0 } });
        using var student = tensor(new double[,] { { Math.Log(2), 0, 0 } });
        using var labels = tensor(new long[] { 2 });
        using var parts = DistillationLoss.Compute(student, teacher, labels, beta: 1, temperature: 1);
        Assert.Equal(1.75 * Math.Log(2), parts.Loss.item<double>(), 12);
        Assert.Equal(Math.Log(4), parts.NllSum.item<double>(), 12); // the plain NLL is still logged
    }

    [Fact]
    public void TemperatureDividesBothNetworksAndTheSoftTermIsNotScaledByTSquared()
    {
        // At T = 2 the logits below become the ones of the previous case: soft term 1.75 ln 2.
        // Hard term at T = 1: student probabilities (4/6, 1/6, 1/6), gold 1: ln 6. β = 0.5 mixes them.
        using var teacher = tensor(new double[,] { { 0, 2 * Math.Log(2), 0 } });
        using var student = tensor(new double[,] { { 2 * Math.Log(2), 0, 0 } });
        using var labels = tensor(new long[] { 1 });
        using var parts = DistillationLoss.Compute(student, teacher, labels, beta: 0.5, temperature: 2);
        Assert.Equal(0.5 * Math.Log(6) + 0.5 * 1.75 * Math.Log(2), parts.Loss.item<double>(), 12);
    }

    [Fact]
    public void NoGradientReachesTheTeacherAndPaddingIsIgnored()
    {
        using var teacher = tensor(new double[,] { { 1, 2, 3 }, { 3, 2, 1 } }).requires_grad_(true);
        using var student = tensor(new double[,] { { 0, 0, 0 }, { 9, -9, 0 } }).requires_grad_(true);
        using var labels = tensor(new long[] { 0, -100 });
        using var parts = DistillationLoss.Compute(student, teacher, labels, beta: 1, temperature: 2);
        parts.Loss.backward();
        Assert.Null(teacher.grad);
        Assert.Equal(1.0, parts.Count.item<double>());
        Assert.True(student.grad![1].abs().sum().item<double>() == 0);
    }

    [Theory]
    [InlineData(-0.1, 2.0, "--beta: -0.1 is outside [0, 1]")]
    [InlineData(1.5, 2.0, "--beta: 1.5 is outside [0, 1]")]
    [InlineData(double.NaN, 2.0, "--beta")]
    [InlineData(0.5, 0.0, "--temperature: must be positive")]
    [InlineData(0.5, -1.0, "--temperature: must be positive")]
    public void BadBetaOrTemperatureIsAnInputError(double beta, double temperature, string message)
    {
        using var logits = zeros(1, 3);
        using var labels = tensor(new long[] { 0 });
        Assert.Contains(message, Assert.Throws<InputError>(() => DistillationLoss.Compute(logits, logits, labels, beta, temperature)).Message);
    }

    [Fact]
    public void SoftTargetCrossEntropyOfTheSmoothedTargetEqualsTheLabelSmoothedLoss()
    {
        // The shared piece: label smoothing is cross entropy against y(1−α) + α/K.
        const double alpha = 0.3;
        var generator = new Generator(seed: 11);
        using var logits = randn(8, 4, dtype: float64, generator: generator);
        using var labels = randint(0, 4, [8], generator: generator);
        using var target = nn.functional.one_hot(labels, 4).to(float64) * (1 - alpha) + alpha / 4;
        using var direct = SoftTargetCrossEntropy.PerRow(target, nn.functional.log_softmax(logits, -1)).mean();
        using var smoothed = LabelSmoothedCrossEntropy.Loss(logits, labels, alpha);
        Assert.Equal(direct.item<double>(), smoothed.item<double>(), 12);
    }
}
