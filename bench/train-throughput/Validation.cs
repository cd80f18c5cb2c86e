using System.Diagnostics;
using LsTranslate.Model;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace TrainThroughput;

/// <summary>
/// What validation costs and whether its precision matters: a trained model's dev NLL and accuracy by the trainer's
/// pass (TeacherForcing.Score: real target rows only, logits in chunks, sums in float32) in bf16 and fp32, against the
/// pass validation used before (fp32, whole [B, T, V] logits, cross entropy over them), each timed.
/// </summary>
static class Validation
{
    const int Threads = 2;

    public static object Measure(string modelDir, string devTsv)
    {
        new RunSettings(Threads: Threads).ApplyToProcess();
        var dir = new ModelDirectory(modelDir);
        using var loaded = dir.Load("best", new RunSettings(Threads: Threads));
        var model = loaded.Model;
        var config = loaded.Config;
        var dev = EncodedPair.EncodeAll(ParallelCorpus.Read(CorpusSource.FromTsv(devTsv)), loaded.Tokenizer, int.MaxValue, config.Model.MaxPositions).Pairs;
        int maxTokens = config.Training.MaxTokens;

        var rows = new List<object>();
        TeacherForcedScores? reference = null;
        foreach (var (name, precision, pass) in new (string, Precision, Func<TeacherForcedScores>)[]
                 {
                     ("whole logits, fp32 (before)", Precision.Fp32, () => WholeLogits(model, dev, maxTokens)),
                     ("chunked, fp32", Precision.Fp32, () => TeacherForcing.Score(model, dev, maxTokens)),
                     ("chunked, bf16", Precision.Bf16, () => TeacherForcing.Score(model, dev, maxTokens)),
                 })
        {
            using var scope = model.InPrecision(precision);
            pass(); // warm-up
            var clock = Stopwatch.StartNew();
            var scores = pass();
            double seconds = clock.Elapsed.TotalSeconds;
            reference ??= scores;
            rows.Add(new
            {
                pass = name,
                seconds = Math.Round(seconds, 2),
                nll = Math.Round(scores.Nll, 5),
                accuracy = Math.Round(scores.Accuracy, 5),
                tokens = scores.Tokens,
                nll_minus_before = Math.Round(scores.Nll - reference.Nll, 5),
            });
        }
        return new { mode = "validation", model = modelDir, dev = devTsv, dev_pairs = dev.Count, threads = Threads, passes = rows };
    }

    /// <summary>Validation as it was: fp32 logits of every position, padding included, then cross entropy over them.</summary>
    static TeacherForcedScores WholeLogits(Seq2SeqTransformer model, IReadOnlyList<EncodedPair> pairs, int maxTokens)
    {
        using var scope = NewDisposeScope();
        var sums = zeros(3, dtype: ScalarType.Float64);
        TeacherForcing.ForEachPaddedBatch(model, pairs, maxTokens, (logits, labels, _) =>
        {
            var real = labels.ne(SpecialTokens.Pad);
            var nll = F.cross_entropy(logits, labels, ignore_index: SpecialTokens.Pad, reduction: nn.Reduction.Sum);
            var correct = logits.argmax(1).eq(labels).logical_and(real).sum();
            sums.add_(stack([nll.to(ScalarType.Float64), real.sum().to(ScalarType.Float64), correct.to(ScalarType.Float64)]));
        });
        var totals = sums.data<double>().ToArray();
        return new TeacherForcedScores(totals[0], (long)totals[1], (long)totals[2]);
    }
}
