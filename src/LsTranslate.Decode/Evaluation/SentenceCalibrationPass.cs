using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// NLL, ECE and reliability of a test set at every requested temperature from one teacher-forced forward pass, totalled
/// and per sentence. Each batch's logits are reduced at every temperature while they are in memory and then dropped:
/// keeping the whole set's fp32 logits (≈ 1 GB at 30k tokens × 8k vocabulary) and passing over them twice per
/// temperature cost twice the forward pass itself on the quick run.
/// </summary>
public static class SentenceCalibrationPass
{
    // Rows reduced at a time: 256 × 8k floats stay in cache across the temperatures' exponentials.
    const long Rows = 256;

    public static TestCalibration Measure(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, IReadOnlyList<double> temperatures,
        int bins = 15, int maxTokens = 4096)
    {
        if (temperatures.Any(t => t <= 0)) throw new ArgumentOutOfRangeException(nameof(temperatures), "temperatures must be positive");
        int sentences = pairs.Count, k = temperatures.Count;
        var tokens = pairs.Select(p => p.Target.Length + 1).ToArray();
        var nllSums = Enumerable.Range(0, k).Select(_ => new double[sentences]).ToArray();
        var gaps = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, sentences).Select(_ => new double[bins]).ToArray()).ToArray();
        var totals = Enumerable.Range(0, k).Select(_ => new ReliabilityAccumulator(bins)).ToArray();

        // The reliability bins' inner edges, as ReliabilityAccumulator cuts them: x is in bin i when edge[i−1] < x ≤ edge[i].
        using var edges = linspace(0, 1, bins + 1, dtype: ScalarType.Float64)[TensorIndex.Slice(1, bins)];
        TeacherForcing.ForEachPaddedBatch(model, pairs, maxTokens, (logits, labels, indices) =>
        {
            var real = labels.ne(SpecialTokens.Pad);
            // Real positions in row order: each sentence's target tokens and its end of sentence, sentence after sentence.
            var rows = logits[real];
            var gold = labels[real];
            var owner = indices.SelectMany(i => Enumerable.Repeat(i, tokens[i])).ToArray();
            if (owner.Length != rows.shape[0]) throw new InvalidOperationException("a target holds the padding id");

            // Neither the top-1 token nor the logits' order changes with T > 0, only the normaliser: with the logits
            // shifted by their maximum once, each temperature costs one exponential per logit and no second maximum.
            var (top, predicted) = rows.max(-1L, keepdim: false);
            var shifted = rows - top.unsqueeze(1);
            var goldGap = (top - rows.gather(1, gold.unsqueeze(1)).squeeze(1)).to(ScalarType.Float64);
            var correct = predicted.eq(gold);
            var correctHost = correct.cpu().to(ScalarType.Float64).data<double>().ToArray();
            long chunks = (rows.shape[0] + Rows - 1) / Rows;
            for (int t = 0; t < k; t++)
            {
                double temperature = temperatures[t];
                // log Σ exp((z − max) / T): the log-normaliser less max / T.
                var logSum = cat(Enumerable.Range(0, (int)chunks)
                    .Select(c => shifted.narrow(0, c * Rows, Math.Min(Rows, rows.shape[0] - c * Rows)).mul(1 / temperature).exp_().sum(1)).ToList(), 0)
                    .to(ScalarType.Float64).log_();
                var confidence = logSum.neg().exp();
                var nll = goldGap / temperature + logSum;
                totals[t].Add(confidence, correct);
                var bin = bucketize(confidence.cpu(), edges).data<long>().ToArray();
                var confidenceHost = confidence.cpu().data<double>().ToArray();
                var nllHost = nll.cpu().data<double>().ToArray();
                for (int j = 0; j < owner.Length; j++)
                {
                    nllSums[t][owner[j]] += nllHost[j];
                    gaps[t][owner[j]][bin[j]] += correctHost[j] - confidenceHost[j];
                }
            }
        });

        long allTokens = tokens.Sum(n => (long)n);
        var calibrations = Enumerable.Range(0, k).Select(t =>
        {
            double nll = nllSums[t].Sum() / allTokens;
            return new TokenCalibration(temperatures[t], allTokens, nll, Math.Exp(nll), totals[t].Accuracy, totals[t].Ece, totals[t].Bins());
        }).ToList();
        var perSentence = Enumerable.Range(0, k).Select(t => new SentenceCalibration(temperatures[t], nllSums[t], gaps[t])).ToList();
        return new TestCalibration(tokens, calibrations, perSentence);
    }
}
