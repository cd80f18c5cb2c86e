using LsTranslate.Model.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Analysis;

public class ReliabilityAccumulatorTests
{
    [Fact]
    public void HandBuiltSetGivesKnownBinsAndEce()
    {
        var acc = new ReliabilityAccumulator();
        using var confidence = tensor(new[] { 0.1, 0.1, 0.5, 0.5, 0.5, 0.95 });
        using var correct = tensor(new[] { false, true, true, true, false, true });
        acc.Add(confidence, correct);

        var bins = acc.Bins();
        Assert.Equal(15, bins.Count);
        Assert.Equal(2, bins[1].Count);   // (1/15, 2/15]
        Assert.Equal(3, bins[7].Count);   // (7/15, 8/15]
        Assert.Equal(1, bins[14].Count);  // (14/15, 1]
        Assert.Equal(6, bins.Sum(b => b.Count));
        Assert.Equal(0.5, bins[1].Accuracy, 12);
        Assert.Equal(0.5, bins[7].Confidence, 12);
        Assert.True(double.IsNaN(bins[0].Accuracy));
        // 2/6·|0.5−0.1| + 3/6·|2/3−0.5| + 1/6·|1−0.95|
        Assert.Equal(2.0 / 6 * 0.4 + 3.0 / 6 * (1.0 / 6) + 1.0 / 6 * 0.05, acc.Ece, 12);
        Assert.Equal(4.0 / 6, acc.Accuracy, 12);
        Assert.Equal(6, acc.Count);
    }

    [Fact]
    public void BinsAreOpenBelowAndClosedAbove()
    {
        var acc = new ReliabilityAccumulator(bins: 4);
        acc.Add(tensor(new[] { 0.0, 0.25, 0.2500001, 0.5, 1.0 }), tensor(new[] { true, true, true, true, true }));
        Assert.Equal(new long[] { 2, 2, 0, 1 }, acc.Bins().Select(b => b.Count).ToArray());
    }

    [Fact]
    public void StreamingBatchesEqualsOneBatch()
    {
        var generator = new Generator(seed: 3);
        using var logits = randn(300, 7, generator: generator) * 2;
        using var labels = randint(0, 7, [300], generator: generator);
        var whole = new ReliabilityAccumulator();
        whole.Add(logits, labels, temperature: 1.5);
        var streamed = new ReliabilityAccumulator();
        for (int start = 0; start < 300; start += 128)
        {
            var end = Math.Min(300, start + 128);
            streamed.Add(logits[TensorIndex.Slice(start, end)], labels[TensorIndex.Slice(start, end)], temperature: 1.5);
        }
        Assert.Equal(whole.Ece, streamed.Ece, 12);
        Assert.Equal(whole.Accuracy, streamed.Accuracy, 12);
    }

    [Fact]
    public void LogitsOverloadUsesTopOneSoftmaxConfidenceAtTemperature()
    {
        // Two classes, logit gap ln 3 at T = 1 → confidence 0.75; at T = 2 → gap ln 3 / 2 → √3/(1+√3).
        using var logits = tensor(new double[,] { { Math.Log(3), 0 } });
        using var labels = tensor(new long[] { 0 });
        var plain = new ReliabilityAccumulator();
        plain.Add(logits, labels);
        Assert.Equal(0.25, plain.Ece, 12);
        var hot = new ReliabilityAccumulator();
        hot.Add(logits, labels, temperature: 2);
        Assert.Equal(1 - Math.Sqrt(3) / (1 + Math.Sqrt(3)), hot.Ece, 12);
    }
}
