using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Training;

/// <summary>
/// The model and the update `train` runs (<see cref="TrainingUpdate.Update"/>: the chunked label-smoothed loss,
/// clipping, Adam as <see cref="TrainingUpdate.CreateOptimizer"/> makes it) together can learn: a tiny transformer
/// learns to reverse short sequences, in fp32 and in bf16 matrix products, and a checkpoint trained in one precision
/// runs in the other.
/// </summary>
public class TinyTaskLearningTests
{
    const int Vocab = 16;

    sealed class ReverseTask(int seed)
    {
        readonly Random random = new(seed);

        public TokenBatch Batch(int size)
        {
            var pairs = Enumerable.Range(0, size).Select(_ =>
            {
                var source = Enumerable.Range(0, random.Next(3, 7)).Select(_ => random.Next(4, Vocab)).ToArray();
                return new EncodedPair(source, source.Reverse().ToArray());
            }).ToList();
            return new TokenBatcher(pairs, maxTokens: 100_000, seed: 0).Make(Enumerable.Range(0, size).ToArray());
        }
    }

    static TransformerConfig Config => TransformerConfig.Preset("tiny", Vocab) with { ModelDim = 64, FeedForwardDim = 128, Heads = 4 };

    /// <summary>Trains from seed 3 on the same batches whatever the precision; returns the model and the loss of every step.</summary>
    static (Seq2SeqTransformer Model, List<double> Losses) Train(Precision precision, int steps)
    {
        manual_seed(3);
        var task = new ReverseTask(3);
        var model = new Seq2SeqTransformer(Config) { Precision = precision };
        var options = new TrainOptions { LearningRate = 3e-3, LabelSmoothing = 0.1 };
        var parameters = model.parameters().ToList();
        using var optimizer = TrainingUpdate.CreateOptimizer(parameters, options);
        var losses = new List<double>();
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            losses.Add(TrainingUpdate.Update(model, optimizer, parameters, [task.Batch(64)], options).Loss);
        }
        return (model, losses);
    }

    static double Accuracy(Seq2SeqTransformer model)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = new ReverseTask(99).Batch(256);
        var predicted = model.Forward(batch.Source, batch.TargetIn).argmax(-1);
        var real = batch.TargetOut.ne(SpecialTokens.Pad);
        return predicted.eq(batch.TargetOut).logical_and(real).sum().item<long>() / (double)real.sum().item<long>();
    }

    /// <summary>Greedy decoding through the incremental interface (encoder once, one cached decoder step per token).</summary>
    static long[,] Greedy(Seq2SeqTransformer model, Tensor source, int steps)
    {
        using var scope = NewDisposeScope();
        using var state = model.Encode(source);
        var previous = full(source.shape[0], (long)SpecialTokens.Bos, dtype: int64);
        var columns = new List<Tensor>();
        for (int t = 0; t < steps; t++)
        {
            previous = model.Step(previous, state).argmax(-1);
            columns.Add(previous);
        }
        var all = stack(columns, 1).data<long>().ToArray();
        var tokens = new long[source.shape[0], steps];
        Buffer.BlockCopy(all, 0, tokens, 0, all.Length * sizeof(long));
        return tokens;
    }

    [Theory]
    [InlineData(Precision.Fp32)]
    [InlineData(Precision.Bf16)]
    public void TinyModelLearnsToReverseSequences(Precision precision)
    {
        var (model, _) = Train(precision, 400);
        using (model)
        {
            double accuracy = Accuracy(model);
            Assert.True(accuracy > 0.95, $"{precision}: token accuracy {accuracy:P1}");
        }
    }

    [Fact]
    public void Bf16LossStaysWithinTwoPercentOfFp32()
    {
        var (fp32, fp32Losses) = Train(Precision.Fp32, 50);
        var (bf16, bf16Losses) = Train(Precision.Bf16, 50);
        fp32.Dispose();
        bf16.Dispose();
        double a = fp32Losses.Average(), b = bf16Losses.Average();
        Assert.True(Math.Abs(b - a) / a < 0.02, $"mean loss over 50 steps: fp32 {a:F4}, bf16 {b:F4}");
        Assert.NotEqual(fp32Losses, bf16Losses); // the switch really changed the arithmetic
    }

    [Theory]
    [InlineData(Precision.Bf16, Precision.Fp32)]
    [InlineData(Precision.Fp32, Precision.Bf16)]
    public void ACheckpointTrainedInOnePrecisionDecodesInTheOther(Precision trainedIn, Precision decodedIn)
    {
        string path = Path.Combine(Path.GetTempPath(), $"lst-precision-{Environment.ProcessId}-{trainedIn}.ckpt");
        var (trained, _) = Train(trainedIn, 400);
        using (trained) Checkpoint.Save(path, trained, new TrainingProgress(), optimizer: null);
        try
        {
            using var loaded = new Seq2SeqTransformer(Config);
            Checkpoint.Load<TrainingProgress>(path, loaded);
            loaded.Precision = decodedIn;
            Assert.True(Accuracy(loaded) > 0.95, $"trained in {trainedIn}, run in {decodedIn}: token accuracy {Accuracy(loaded):P1}");

            var batch = new ReverseTask(7).Batch(32);
            var (source, targetOut) = (batch.Source, batch.TargetOut);
            var decoded = Greedy(loaded, source, (int)targetOut.shape[1]);
            long correct = 0, total = 0;
            for (int row = 0; row < source.shape[0]; row++)
                for (int t = 0; t < targetOut.shape[1]; t++)
                {
                    long gold = targetOut[row, t].item<long>();
                    if (gold == SpecialTokens.Pad) break;
                    total++;
                    if (decoded[row, t] == gold) correct++;
                }
            Assert.True(correct > 0.9 * total, $"greedy decoding in {decodedIn}: {correct} of {total} tokens right");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
