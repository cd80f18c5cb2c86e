using LsTranslate.Model.Analysis;
using LsTranslate.Model.Text;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// The next-token logits of every real target position of a test set, with the gold prefix, collected in
/// one forward pass and kept: NLL, ECE and the fitted temperature at any T then cost no further forward.
/// Memory is tokens × vocabulary × 4 bytes (≈ 1 GB for 30k tokens at 8k vocabulary).
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

    public static TeacherForcedLogits Collect(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens = 4096)
    {
        var logits = new List<Tensor>();
        var labels = new List<Tensor>();
        // Same batches and forward as validation during training, so NLL at T = 1 is the training loop's dev NLL.
        TeacherForcing.ForEachBatch(model, pairs, maxTokens, (batchLogits, batchLabels) =>
        {
            logits.Add(batchLogits.cpu().DetachFromDisposeScope());
            labels.Add(batchLabels.cpu().DetachFromDisposeScope());
        });
        try
        {
            return new TeacherForcedLogits(cat(logits, 0), cat(labels, 0));
        }
        finally
        {
            foreach (var t in logits.Concat(labels)) t.Dispose();
        }
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
            var probs = (Logits.narrow(0, start, length) / temperature).softmax(1);
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
