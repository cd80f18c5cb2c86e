using LsTranslate.Model.Losses;
using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Training;

/// <summary>
/// The pieces of translation training that <see cref="Trainer"/> puts together, public so that benchmarks and
/// experiments call them instead of copying them: the length filter, the optimizer, the dropout seed and one update.
/// </summary>
public static class TranslationSteps
{
    /// <summary>Encodes pairs, skipping those longer than <paramref name="maxLength"/> tokens on either side (as fairseq does) or than the positions the model has.</summary>
    public static (List<EncodedPair> Pairs, int Skipped) Encode(IEnumerable<SentencePair> pairs, ISubwordTokenizer tokenizer, int maxLength, int maxPositions)
    {
        int limit = Math.Min(maxLength, maxPositions - 1);
        var encoded = new List<EncodedPair>();
        int skipped = 0;
        foreach (var pair in pairs)
        {
            var source = tokenizer.Encode(pair.Source);
            var target = tokenizer.Encode(pair.Target);
            if (source.Length > limit || target.Length > limit) skipped++;
            else encoded.Add(new EncodedPair(source, target));
        }
        return (encoded, skipped);
    }

    /// <summary>Adam with the transformer's betas and epsilon (Vaswani et al.: 0.9, 0.98, 1e-9).</summary>
    public static optim.Optimizer CreateOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, TrainOptions options) =>
        optim.Adam(parameters, options.LearningRate, beta1: 0.9, beta2: 0.98, eps: 1e-9);

    /// <summary>
    /// The seed of update <paramref name="step"/>'s dropout: drawn from a generator seeded by the step, a resumed run
    /// draws what the uninterrupted one did.
    /// </summary>
    public static long DropoutSeed(TrainOptions options, long step) => options.Seed * 1_000_003L + step;

    /// <summary>
    /// One update over <paramref name="batches"/> (accumulated): label-smoothed loss, each batch weighted by its
    /// share of target tokens, gradient clipping, an optimizer step. Returns the mean loss per target token.
    /// </summary>
    public static (double Loss, long Tokens) Update(Seq2SeqTransformer model, optim.Optimizer optimizer, IReadOnlyList<TorchSharp.Modules.Parameter> parameters,
        IReadOnlyList<TokenBatch> batches, TrainOptions options)
    {
        optimizer.zero_grad();
        var device = Devices.Of(model);
        long tokens = batches.Sum(b => (long)b.TargetTokens);
        double lossSum = 0;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(batch.Source.to(device), batch.TargetIn.to(device));
            var loss = LabelSmoothedCrossEntropy.Loss(logits.view(-1, logits.shape[^1]), batch.TargetOut.to(device).view(-1),
                options.LabelSmoothing, ignoreIndex: SpecialTokens.Pad);
            // The update is the per-token mean over all accumulated batches.
            (loss * ((double)batch.TargetTokens / tokens)).backward();
            lossSum += loss.item<float>() * batch.TargetTokens;
        }
        nn.utils.clip_grad_norm_(parameters, options.ClipNorm);
        optimizer.step();
        return (lossSum / tokens, tokens);
    }
}
