using LsTranslate.Model.Losses;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Training;

public class TrainingUpdateTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(1000.0)]
    public void ClippingOnTheDeviceScalesGradientsAsPyTorchsClipGradNormDoes(double maxNorm)
    {
        manual_seed(3);
        using var ours = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 64));
        using var theirs = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 64));
        theirs.load_state_dict(ours.state_dict());
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
        {
            using var g = randn(a.shape) * 0.3;
            a.grad = g.clone();
            b.grad = g.clone();
        }
        TrainingUpdate.ClipGradientNorm(ours.parameters().ToList(), maxNorm);
        nn.utils.clip_grad_norm_(theirs.parameters(), maxNorm);
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
            Assert.True(a.grad!.allclose(b.grad!, rtol: 1e-6, atol: 1e-9), "gradients differ after clipping");
    }

    /// <summary>The update's chunked loss with closed-form gradients does what autograd through the whole logits did.</summary>
    [Fact]
    public void AnUpdateMatchesAutogradThroughTheWholeLogits()
    {
        manual_seed(4);
        using var ours = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 40));
        using var theirs = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 40));
        theirs.load_state_dict(ours.state_dict());
        var options = new TrainOptions { LabelSmoothing = 0.1, MaxTokens = 64, ClipNorm = 0.5 };
        var random = new Random(2);
        var pairs = Enumerable.Range(0, 12).Select(_ => new EncodedPair(
            Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(4, 40)).ToArray(),
            Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(4, 40)).ToArray())).ToList();
        var batcher = new TokenBatcher(pairs, options.MaxTokens, seed: 1);
        var batches = batcher.EpochPlan(0).Take(2).Select(b => batcher.Make(b)).ToList();
        var (ourParameters, theirParameters) = (ours.parameters().ToList(), theirs.parameters().ToList());
        using var ourOptimizer = TrainingUpdate.CreateOptimizer(ourParameters, options);
        using var theirOptimizer = TrainingUpdate.CreateOptimizer(theirParameters, options);

        var (loss, tokens) = TrainingUpdate.Update(ours, ourOptimizer, ourParameters, batches, options);

        theirOptimizer.zero_grad();
        double expectedLoss = 0;
        foreach (var batch in batches)
        {
            var logits = theirs.Forward(batch.Source, batch.TargetIn);
            var batchLoss = LabelSmoothedCrossEntropy.Loss(logits.view(-1, 40), batch.TargetOut.view(-1), 0.1, SpecialTokens.Pad);
            (batchLoss * ((double)batch.TargetTokens / tokens)).backward();
            expectedLoss += batchLoss.item<float>() * batch.TargetTokens / tokens;
        }
        nn.utils.clip_grad_norm_(theirParameters, options.ClipNorm);
        theirOptimizer.step();

        Assert.Equal(expectedLoss, loss, 4);
        // Gradients (clipped), not parameters: Adam's first step is lr·sign(g), which turns rounding noise into lr.
        foreach (var (a, b) in ourParameters.Zip(theirParameters))
            Assert.True(a.grad!.allclose(b.grad!, rtol: 1e-4, atol: 1e-7), "gradients differ");
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void ValidationSumsOnTheDeviceGiveTheNllAndAccuracyOfTheGoldPositions()
    {
        manual_seed(5);
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 40));
        var random = new Random(1);
        var pairs = Enumerable.Range(0, 30).Select(_ => new EncodedPair(
            Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(4, 40)).ToArray(),
            Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(4, 40)).ToArray())).ToList();
        var scores = TeacherForcing.Score(model, pairs, maxTokens: 64, temperature: 1.3);

        // The same thing the slow way: every real position's log-probability of its gold token, one by one.
        double nll = 0;
        long tokens = 0, correct = 0;
        TeacherForcing.ForEachBatch(model, pairs, 64, (logits, labels) =>
        {
            var logProbs = nn.functional.log_softmax(logits / 1.3, 1).to(ScalarType.Float64);
            var gold = labels.data<long>().ToArray();
            for (int i = 0; i < gold.Length; i++) nll -= logProbs[i, gold[i]].item<double>();
            tokens += gold.Length;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        });
        Assert.Equal(tokens, scores.Tokens);
        Assert.Equal(correct, scores.Correct);
        Assert.Equal(nll, scores.NllSum, nll * 1e-6);
    }
}
