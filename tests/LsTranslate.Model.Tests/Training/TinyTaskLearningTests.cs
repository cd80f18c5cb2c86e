using LsTranslate.Model.Losses;
using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Training;

/// <summary>The model, loss and optimizer together can learn: a tiny transformer learns to reverse short sequences.</summary>
public class TinyTaskLearningTests
{
    [Fact]
    public void TinyModelLearnsToReverseSequences()
    {
        manual_seed(3);
        var random = new Random(3);
        const int vocab = 16;
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", vocab) with { ModelDim = 64, FeedForwardDim = 128, Heads = 4 });
        using var optimizer = optim.Adam(model.parameters(), 3e-3, beta1: 0.9, beta2: 0.98);
        (Tensor, Tensor, Tensor) Batch(int size)
        {
            var pairs = Enumerable.Range(0, size).Select(_ =>
            {
                var source = Enumerable.Range(0, random.Next(3, 7)).Select(_ => random.Next(4, vocab)).ToArray();
                return new EncodedPair(source, source.Reverse().ToArray());
            }).ToList();
            var batcher = new TokenBatcher(pairs, maxTokens: 100_000, seed: 0);
            var batch = batcher.Make(Enumerable.Range(0, size).ToArray());
            return (batch.Source, batch.TargetIn, batch.TargetOut);
        }

        model.train();
        for (int step = 0; step < 400; step++)
        {
            using var scope = NewDisposeScope();
            var (source, targetIn, targetOut) = Batch(64);
            optimizer.zero_grad();
            var logits = model.Forward(source, targetIn);
            LabelSmoothedCrossEntropy.Loss(logits.view(-1, vocab), targetOut.view(-1), 0.1, SpecialTokens.Pad).backward();
            optimizer.step();
        }

        model.eval();
        using var testScope = NewDisposeScope();
        using var noGrad = no_grad();
        var (testSource, testIn, testOut) = Batch(256);
        var predicted = model.Forward(testSource, testIn).argmax(-1);
        var real = testOut.ne(SpecialTokens.Pad);
        double accuracy = predicted.eq(testOut).logical_and(real).sum().item<long>() / (double)real.sum().item<long>();
        Assert.True(accuracy > 0.95, $"token accuracy {accuracy:P1}");
    }
}
