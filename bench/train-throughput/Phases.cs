using System.Diagnostics;
using LsTranslate.Model;
using LsTranslate.Model.Layers;
using LsTranslate.Model.Losses;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace TrainThroughput;

/// <summary>
/// Where one update's time goes, without a profiler (TorchSharp 0.107 has none): each kind of operation the small
/// preset runs is timed on its own, forward and backward, at the real batch's shapes and in the update's precision,
/// and multiplied by how often one update runs it. "rest" is the whole update minus the sum: dispatch, allocation,
/// residual adds, reshapes and everything not listed.
/// </summary>
static class Phases
{
    const int Reps = 5;

    public static object Measure(string setupDir, string precisionName, int threads = 2)
    {
        new RunSettings(Threads: threads).ApplyToProcess();
        var modelDir = new ModelDirectory(setupDir);
        var config = modelDir.ReadConfig();
        var c = config.Model;
        var options = config.Training;
        var tokenizer = SubwordTokenizers.Load(setupDir);
        var pairs = EncodedPair.EncodeAll(ParallelCorpus.Read(CorpusSource.FromTsv("corpora/en-de/train.tsv.gz")), tokenizer,
            options.MaxLength, c.MaxPositions).Pairs;
        var batcher = new TokenBatcher(pairs, options.MaxTokens, options.Seed);
        using var batch = batcher.Make(batcher.EpochPlan(0)[2]);
        var precision = Precisions.Resolve(precisionName, CPU);
        var type = precision.MatmulType();

        long b = batch.Sentences, s = batch.Source.shape[1], t = batch.TargetIn.shape[1];
        long ns = b * s, nt = b * t, d = c.ModelDim, ff = c.FeedForwardDim, v = c.VocabSize, h = c.Heads;
        int el = c.EncoderLayers, dl = c.DecoderLayers;
        var rows = new List<Row>();

        // Products: the weight is cast to the product type on every call, as Projection does.
        rows.Add(Linear("linear d→d (attention q,k,v,o)", ns, d, d, type, 4 * el));
        rows.Add(Linear("linear d→d (attention q,k,v,o)", nt, d, d, type, 6 * dl));
        rows.Add(Linear("linear d→d (cross k,v over memory)", ns, d, d, type, 2 * dl));
        rows.Add(Linear("linear d→ff (feed-forward in)", ns, d, ff, type, el));
        rows.Add(Linear("linear d→ff (feed-forward in)", nt, d, ff, type, dl));
        rows.Add(Linear("linear ff→d (feed-forward out)", ns, ff, d, type, el));
        rows.Add(Linear("linear ff→d (feed-forward out)", nt, ff, d, type, dl));
        // Only real target positions reach the output layer; the loss forms its own gradients (no backward pass).
        long real = batch.TargetTokens;
        rows.Add(Time("output projection + smoothed loss (chunked, gradients in closed form)", () =>
        {
            var (x, w, targets) = (randn(real, d), randn(v, d), randint(4, v, real));
            return () => ChunkedSmoothedLoss.Compute(x, w, null, targets, 0.1, type).LossSum;
        }, 1));

        // Attention over projected heads, in the product type (what Projection hands SDPA).
        var sourceMask = ones(b, 1, 1, s, dtype: ScalarType.Bool);
        rows.Add(Attention("attention, encoder self", b, h, s, s, d / h, type, sourceMask, false, el));
        rows.Add(Attention("attention, decoder self (causal)", b, h, t, t, d / h, type, null, true, dl));
        rows.Add(Attention("attention, decoder cross", b, h, t, s, d / h, type, sourceMask, false, dl));

        var dropout = new PackedDropout(c.Dropout);
        dropout.train();
        // The residual stream stays float32: norms, dropout on it, the feed-forward activation in the product type.
        rows.Add(Time("layer norm", () => randn(ns, d, requires_grad: true), x => F.layer_norm(x, [d], ones(d), zeros(d)), 2 * el + 1));
        rows.Add(Time("layer norm", () => randn(nt, d, requires_grad: true), x => F.layer_norm(x, [d], ones(d), zeros(d)), 3 * dl + 1));
        rows.Add(Time("dropout on the residual stream (d)", () => randn(ns, d, requires_grad: true), dropout.forward, 2 * el + 1));
        rows.Add(Time("dropout on the residual stream (d)", () => randn(nt, d, requires_grad: true), dropout.forward, 3 * dl + 1));
        rows.Add(Time("dropout on the feed-forward activation (ff)", () => Leaf(randn(ns, ff), type), dropout.forward, el));
        rows.Add(Time("dropout on the feed-forward activation (ff)", () => Leaf(randn(nt, ff), type), dropout.forward, dl));
        rows.Add(Time("relu (ff)", () => Leaf(randn(ns, ff), type), x => F.relu(x), el));
        rows.Add(Time("relu (ff)", () => Leaf(randn(nt, ff), type), x => F.relu(x), dl));
        foreach (var (ids, length) in new[] { (batch.Source, s), (batch.TargetIn, t) })
            rows.Add(Time("embedding lookup + scale + positions", () =>
            {
                var table = nn.Embedding(v, d, padding_idx: SpecialTokens.Pad);
                var positions = zeros(length, d);
                return () => table.forward(ids) * Math.Sqrt(d) + positions;
            }, 1));

        // The update around the network: clipping and Adam over the real parameters.
        using var model = new Seq2SeqTransformer(c);
        model.Precision = precision;
        var parameters = model.parameters().ToList();
        using var optimizer = TrainingUpdate.CreateOptimizer(parameters, options);
        foreach (var p in parameters) p.grad = randn_like(p) * 1e-3;
        rows.Add(new Row("clip gradient norm", "all", Median(() => TrainingUpdate.ClipGradientNorm(parameters, 1.0)), 0, 1));
        rows.Add(new Row("Adam step", "all", Median(() => optimizer.step()), 0, 1));

        model.train();
        double update = Median(() => TrainingUpdate.Update(model, optimizer, parameters, [batch], options));
        var merged = rows.GroupBy(r => r.Phase).Select(g => new
        {
            phase = g.Key,
            count = g.Sum(r => r.Count),
            forward_ms = Math.Round(g.Sum(r => r.ForwardMs * r.Count), 1),
            backward_ms = Math.Round(g.Sum(r => r.BackwardMs * r.Count), 1),
            total_ms = Math.Round(g.Sum(r => (r.ForwardMs + r.BackwardMs) * r.Count), 1),
        }).ToList();
        double listed = merged.Sum(r => r.total_ms);
        return new
        {
            mode = "phases",
            precision = precision.Name(),
            batch = new { sentences = b, source_length = s, target_length = t, target_tokens = batch.TargetTokens },
            update_ms = Math.Round(update, 1),
            listed_ms = Math.Round(listed, 1),
            rest_ms = Math.Round(update - listed, 1),
            phases = merged.OrderByDescending(r => r.total_ms).ToList(),
        };
    }

    sealed record Row(string Phase, string Shape, double ForwardMs, double BackwardMs, int Count);

    /// <summary>A projection as Projection runs it: the input arrives in the product type, the fp32 weight is cast on the call.</summary>
    static Row Linear(string phase, long rows, long inputs, long outputs, ScalarType type, int count) =>
        Time(phase, () =>
        {
            var (x, w, bias) = (randn(rows, inputs, requires_grad: true), randn(outputs, inputs, requires_grad: true), randn(outputs, requires_grad: true));
            var input = x.to(type).detach().requires_grad_();
            return () => F.linear(input, w.to(type), bias.to(type));
        }, count);

    static Row Attention(string phase, long b, long h, long tq, long tk, long dh, ScalarType type, Tensor? mask, bool causal, int count) =>
        Time(phase, () =>
        {
            var (q, k, v) = (Leaf(randn(b, h, tq, dh), type), Leaf(randn(b, h, tk, dh), type), Leaf(randn(b, h, tk, dh), type));
            return () => AttentionWeights.Apply(q, k, v, mask, causal, 0.0, training: true);
        }, count);

    static Tensor Leaf(Tensor x, ScalarType type) => x.to(type).detach().requires_grad_();

    static Row Time(string phase, Func<Tensor> input, Func<Tensor, Tensor> op, int count) =>
        Time(phase, () => { var x = input(); return () => op(x); }, count);

    /// <summary>
    /// Median forward and backward milliseconds of the op that <paramref name="setup"/> returns (its inputs made outside
    /// the clock); an op whose output carries no gradient (the chunked loss forms its own) has no backward.
    /// </summary>
    static Row Time(string phase, Func<Func<Tensor>> setup, int count)
    {
        var forward = new List<double>();
        var backward = new List<double>();
        for (int i = 0; i < Reps + 1; i++)
        {
            using var scope = NewDisposeScope();
            var op = setup();
            var clock = Stopwatch.StartNew();
            var y = op();
            double f = clock.Elapsed.TotalMilliseconds;
            double bw = 0;
            if (y.requires_grad)
            {
                var gradient = ones_like(y);
                clock.Restart();
                y.backward([gradient]);
                bw = clock.Elapsed.TotalMilliseconds;
            }
            if (i == 0) continue; // warm-up
            forward.Add(f);
            backward.Add(bw);
        }
        return new Row(phase, "", MedianOf(forward), MedianOf(backward), count);
    }

    static double Median(Action action)
    {
        var times = new List<double>();
        for (int i = 0; i < Reps + 1; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            action();
            if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return MedianOf(times);
    }

    static double MedianOf(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
