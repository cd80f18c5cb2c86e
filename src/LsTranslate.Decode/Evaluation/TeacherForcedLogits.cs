using LsTranslate.Model.Analysis;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Batches;

namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// The next-token logits of every real target position of a test set, with the gold prefix, collected in
/// one forward pass and kept: NLL, ECE and the fitted temperature at any T then cost no further forward.
/// Memory is tokens × vocabulary × 4 bytes (≈ 1 GB for 30k tokens at 8k vocabulary), in one tensor filled in place;
/// past <see cref="Float32Budget"/> (an OPUS-MT model's 58k vocabulary: 7 GB for 30k tokens) the logits are kept in
/// bf16 instead, half that, and every use reads them back to float32 a slice at a time.
/// </summary>
public sealed class TeacherForcedLogits : IDisposable
{
    public Tensor Logits { get; }
    public Tensor Labels { get; }
    public long Tokens => Labels.shape[0];

    TeacherForcedLogits(Tensor logits, Tensor labels)
    {
        Logits = logits;
        Labels = labels;
    }

    /// <summary>Bytes of float32 logits kept as they are; larger sets are kept in bf16.</summary>
    public const long Float32Budget = 4L << 30;

    public static TeacherForcedLogits Collect(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens = 4096)
    {
        long tokens = pairs.Sum(p => p.Target.Length + 1L); // EOS included
        var type = tokens * model.VocabSize * 4 <= Float32Budget ? ScalarType.Float32 : ScalarType.BFloat16;
        var logits = empty(tokens, model.VocabSize, dtype: type);
        var labels = empty(tokens, dtype: ScalarType.Int64);
        long filled = 0;
        // Same batches and forward as validation during training, so NLL at T = 1 is the training loop's dev NLL.
        TeacherForcing.ForEachBatch(model, pairs, maxTokens, (batchLogits, batchLabels) =>
        {
            long rows = batchLabels.shape[0];
            logits.narrow(0, filled, rows).copy_(batchLogits);
            labels.narrow(0, filled, rows).copy_(batchLabels);
            filled += rows;
        });
        if (filled != tokens) throw new InvalidOperationException($"teacher forcing gave {filled} target positions, expected {tokens}");
        return new TeacherForcedLogits(logits, labels);
    }

    public TokenCalibration At(double temperature, int bins = 15)
    {
        var reliability = new ReliabilityAccumulator(bins);
        reliability.Add(Logits, Labels, temperature);
        double nll = TemperatureScaling.Nll(Logits, Labels, temperature);
        return new TokenCalibration(temperature, Tokens, nll, Math.Exp(nll), reliability.Accuracy, reliability.Ece, reliability.Bins());
    }

    /// <summary>
    /// Per target token, in test-set order: the top-1 confidence, whether the top-1 token is the gold one, and the gold
    /// token's probability, at <paramref name="temperature"/> (what a reliability diagram is made of, token by token).
    /// </summary>
    public IReadOnlyList<TokenConfidence> Confidences(double temperature)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < Tokens; start += TemperatureScaling.Chunk)
        {
            long length = Math.Min(TemperatureScaling.Chunk, Tokens - start);
            var probs = TemperatureScaling.Slice(Logits, start, length, temperature).softmax(1);
            var gold = Labels.narrow(0, start, length).unsqueeze(1);
            var (top, argmax) = probs.max(1);
            parts.Add(stack([top.to(float64), argmax.eq(gold.squeeze(1)).to(float64), probs.gather(1, gold).squeeze(1).to(float64)], 1));
        }
        var values = cat(parts, 0).cpu().data<double>().ToArray();
        return Enumerable.Range(0, (int)Tokens).Select(i => new TokenConfidence(values[3 * i], values[3 * i + 1] == 1, values[3 * i + 2])).ToList();
    }

    /// <summary>The temperature minimising NLL on these tokens (Guo et al.'s temperature scaling).</summary>
    public double FitTemperature() => TemperatureScaling.Fit(Logits, Labels);

    public void Dispose()
    {
        Logits.Dispose();
        Labels.Dispose();
    }
}

/// <summary>One target token under teacher forcing: the model's top-1 confidence, whether top-1 is the gold token, the gold token's probability.</summary>
public sealed record TokenConfidence(double Confidence, bool Correct, double GoldProbability);
