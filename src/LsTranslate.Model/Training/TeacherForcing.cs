using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LsTranslate.Model.Training;

/// <summary>Plain (never smoothed) token-level NLL and accuracy of a model with the gold prefix.</summary>
public sealed record TokenScores(double NllSum, long Tokens, long Correct)
{
    public double Nll => NllSum / Math.Max(Tokens, 1);
    public double Perplexity => Math.Exp(Nll);
    public double Accuracy => (double)Correct / Math.Max(Tokens, 1);
}

/// <summary>
/// Runs a model over reference pairs with the gold target prefix. Validation during training and
/// `evaluate` both come through here, so their NLL is the same number by construction.
/// </summary>
public static class TeacherForcing
{
    /// <summary>Calls <paramref name="visit"/> with the logits [n, V] and gold labels [n] of every real target position, batch by batch.</summary>
    public static void ForEachBatch(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, Action<Tensor, Tensor> visit)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var batcher = new TokenBatcher(pairs, maxTokens, seed: 0);
            var device = Devices.Of(model);
            foreach (var indices in batcher.EpochPlan(0))
            {
                using var scope = NewDisposeScope();
                using var batch = batcher.Make(indices);
                var targetOut = batch.TargetOut.to(device);
                var logits = model.Forward(batch.Source.to(device), batch.TargetIn.to(device));
                var real = targetOut.ne(SpecialTokens.Pad);
                visit(logits[real], targetOut[real]);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public static TokenScores Score(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens, double temperature = 1.0)
    {
        double nll = 0;
        long tokens = 0, correct = 0;
        ForEachBatch(model, pairs, maxTokens, (logits, labels) =>
        {
            var scaled = temperature == 1.0 ? logits : logits / temperature;
            nll += F.cross_entropy(scaled, labels, reduction: nn.Reduction.Sum).item<float>();
            tokens += labels.shape[0];
            correct += scaled.argmax(1).eq(labels).sum().item<long>();
        });
        return new TokenScores(nll, tokens, correct);
    }
}
