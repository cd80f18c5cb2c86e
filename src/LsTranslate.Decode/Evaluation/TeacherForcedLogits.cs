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

    /// <summary>The temperature minimising NLL on these tokens (Guo et al.'s temperature scaling).</summary>
    public double FitTemperature() => TemperatureScaling.Fit(Logits, Labels);

    public void Dispose()
    {
        Logits.Dispose();
        Labels.Dispose();
    }
}
