using System.Diagnostics;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Corpora;

namespace DecodeThroughput;

/// <summary>
/// Where a decoder step's time goes, without a profiler (TorchSharp has none). First the real search runs with its
/// model wrapped in a clock, which splits its time into encoding, the decoder step, cache reordering and the search
/// around them (log-softmax, constraints, candidate selection, the host read and bookkeeping). Then each kind of
/// operation of the decoder step is timed on its own at that run's average shapes (rows per step, prefix and source
/// lengths), in the run's precision with weights already in the product type, times how often a step runs it; "rest
/// of the step" is the step minus their sum (dispatch, reshapes, residual adds, casts not listed).
/// Usage: dotnet DecodeThroughput.dll phases --model DIR [--sentences 256] [--sentences-batch1 16] [--threads 1]
/// </summary>
static class StepPhases
{
    const int Reps = 200;

    public static void Write(string[] args)
    {
        string Arg(string name, string fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        int threads = int.Parse(Arg("--threads", "1"));
        new RunSettings(Threads: threads).ApplyToProcess();
        var loaded = new ModelDirectory(Arg("--model", "")).Load();
        var test = ParallelCorpus.Read(CorpusSource.FromTsv("corpora/en-de/test.tsv.gz")).Select(p => p.Source).ToArray();
        var configurations = new[] { ("greedy", 1, 32), ("beam4", 4, 32), ("beam4", 4, 1) };
        var tables = new List<object>();
        foreach (var precision in new[] { Precision.Fp32, Precision.Bf16 })
            foreach (var (name, beam, batch) in configurations)
            {
                loaded.Model.Precision = precision;
                var lines = test[..int.Parse(batch == 1 ? Arg("--sentences-batch1", "16") : Arg("--sentences", "256"))];
                tables.Add(Table(loaded, name, beam, batch, lines, precision));
                Console.Error.WriteLine(System.Text.Json.JsonSerializer.Serialize(tables[^1]));
            }
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            mode = "phases",
            threads,
            load_average = File.ReadAllText("/proc/loadavg").Trim(),
            unit = "milliseconds per decoder step",
            tables,
        }));
    }

    static object Table(LoadedModel loaded, string name, int beam, int batch, string[] lines, Precision precision)
    {
        var timed = new ClockedSeq2Seq(loaded.Model);
        void Translate() => new Translator(timed, loaded.Tokenizer, new SearchOptions { Beam = beam }, new BatchingOptions { BatchSize = batch })
            .Translate(lines).ToList();
        Translate(); // warm-up
        timed.Reset();
        var clock = Stopwatch.StartNew();
        Translate();
        double total = clock.Elapsed.TotalMilliseconds;
        double PerStep(double ms) => Math.Round(ms / timed.Steps, 3);
        double search = total - timed.EncodeMs - timed.StepMs - timed.ReorderMs;

        var c = loaded.Model.Config;
        long rows = (long)Math.Max(1, Math.Round((double)timed.Rows / timed.Steps));
        long prefix = (long)Math.Max(1, Math.Round((double)timed.PrefixSum / timed.Steps));
        long source = (long)Math.Max(1, Math.Round(timed.SourceSum / Math.Max(1.0, timed.Encodes)));
        var ops = StepOps(c, rows, beam, prefix, source, precision.MatmulType());
        double listed = ops.Sum(o => o.Ms * o.Count);
        return new
        {
            search = name, batch, precision = precision.Name(), sentences = lines.Length,
            decoder_steps = timed.Steps,
            average_shapes = new { rows_per_step = rows, target_prefix = prefix, source_length = source },
            whole_step_ms = PerStep(total),
            split = new
            {
                encode = PerStep(timed.EncodeMs),
                decoder_step = PerStep(timed.StepMs),
                cache_reorder = PerStep(timed.ReorderMs),
                search_around = PerStep(search),
            },
            decoder_step_ops = ops.OrderByDescending(o => o.Ms * o.Count).Select(o => new { op = o.Name, count = o.Count, ms = Math.Round(o.Ms * o.Count, 3) })
                .Append(new { op = "rest of the step (dispatch, reshapes, adds, casts)", count = 1, ms = Math.Round(timed.StepMs / timed.Steps - listed, 3) }),
        };
    }

    sealed record Op(string Name, int Count, double Ms);

    /// <summary>
    /// The decoder step's operations at one shape, each timed alone (median of <see cref="Reps"/>), as the model runs them:
    /// float32 products read kept transposed weights, bfloat16 ones kept bf16 weights; the prefix is attended in float32;
    /// a sentence's beam rows meet its source keys/values in one product.
    /// </summary>
    static List<Op> StepOps(TransformerConfig c, long rows, int beam, long prefix, long source, ScalarType type)
    {
        long d = c.ModelDim, ff = c.FeedForwardDim, v = c.VocabSize, h = c.Heads, dh = d / h;
        long sentences = Math.Max(1, rows / beam);
        int layers = c.DecoderLayers;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor In(params long[] shape) => randn(shape).to(type);
        Func<Tensor> Linear(Tensor x, long inputs, long outputs, bool bias = true)
        {
            var (w, b) = (randn(outputs, inputs), randn(outputs));
            if (type != ScalarType.Float32)
            {
                var (kept, keptBias) = (w.to(type), b.to(type));
                return () => F.linear(x, kept, bias ? keptBias : null);
            }
            var transposed = w.t().contiguous();
            return () => bias ? addmm(b, x.view(-1, inputs), transposed, 1, 1) : x.view(-1, inputs).mm(transposed);
        }
        var (x, hidden) = (In(rows, 1, d), In(rows, 1, ff));
        var residual = randn(rows, 1, d);
        var prefixKeys = randn(rows, h, prefix + 16, dh).narrow(2, 0, prefix); // float32, a view of the cache's buffer
        var selfQuery = randn(rows, h, 1, dh);
        var (memoryKeys, crossQuery) = (In(sentences, h, source, dh), In(sentences, h, rows / sentences, dh));
        var sourceMask = ones(sentences, 1, 1, source, dtype: ScalarType.Bool);
        var cacheBuffer = randn(rows, h, prefix + 16, dh);
        var position = In(rows, h, 1, dh);
        var (norm, normBias) = (ones(d), zeros(d));
        var embedding = randn(v, d);
        var ids = randint(4, v, [rows, 1]);
        var positions = randn(1, d);
        var (feedForwardIn, outputProjection) = (Linear(x, d, ff), Linear(x, d, v, bias: false));
        return
        [
            new("linear d→d (self q, k, v, out; cross q, out)", 6 * layers, Median(Linear(x, d, d))),
            new("linear d→ff (feed-forward in) + relu", layers, Median(() => F.relu(feedForwardIn()))),
            new("linear ff→d (feed-forward out)", layers, Median(Linear(hidden, ff, d))),
            new("output projection d→vocab (float32 logits)", 1, Median(() => outputProjection().to(ScalarType.Float32))),
            new("attention over the target prefix (self, float32)", layers, Median(() => AttentionWeights.Apply(selfQuery, prefixKeys, prefixKeys, null, false, 0, false))),
            new("attention over the source (cross, a sentence's beams at once)", layers, Median(() => AttentionWeights.Apply(crossQuery, memoryKeys, memoryKeys, sourceMask, false, 0, false))),
            new("layer norm (float32)", 3 * layers + 1, Median(() => F.layer_norm(residual, [d], norm, normBias))),
            new("cache append (keys and values)", 2 * layers, Median(() => cacheBuffer.narrow(2, prefix, 1).copy_(position))),
            new("embedding + scale + position", 1, Median(() => embedding.index_select(0, ids.view(-1)).view(rows, 1, d) * Math.Sqrt(d) + positions)),
        ];
    }

    static double Median(Func<Tensor> op)
    {
        var times = new double[Reps];
        for (int i = -10; i < Reps; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            op();
            if (i >= 0) times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[Reps / 2];
    }

    /// <summary>A model wrapped in clocks: encoding, decoder steps and cache reorders timed apart, with the shapes they ran at.</summary>
    sealed class ClockedSeq2Seq(IIncrementalSeq2Seq inner) : IIncrementalSeq2Seq
    {
        public long Steps, Rows, PrefixSum, Encodes;
        public double EncodeMs, StepMs, ReorderMs, SourceSum;
        public int VocabSize => inner.VocabSize;
        public int MaxPositions => inner.MaxPositions;

        public void Reset() => (Steps, Rows, PrefixSum, Encodes, EncodeMs, StepMs, ReorderMs, SourceSum) = (0, 0, 0, 0, 0, 0, 0, 0);

        public IDecoderState Encode(Tensor sourceIds)
        {
            var clock = Stopwatch.StartNew();
            var state = new State(inner.Encode(sourceIds), this);
            EncodeMs += clock.Elapsed.TotalMilliseconds;
            Encodes++;
            SourceSum += sourceIds.shape[1];
            return state;
        }

        public Tensor Step(Tensor previousTokens, IDecoderState state)
        {
            var wrapped = (State)state;
            Steps++;
            Rows += previousTokens.shape[0];
            PrefixSum += wrapped.Length + 1;
            var clock = Stopwatch.StartNew();
            var logits = inner.Step(previousTokens, wrapped.Inner);
            StepMs += clock.Elapsed.TotalMilliseconds;
            return logits;
        }

        sealed class State(IDecoderState inner, ClockedSeq2Seq owner) : IDecoderState
        {
            public IDecoderState Inner => inner;
            public long Rows => inner.Rows;
            public int Length => inner.Length;

            public void Reorder(RowOrder order)
            {
                var clock = Stopwatch.StartNew();
                inner.Reorder(order);
                owner.ReorderMs += clock.Elapsed.TotalMilliseconds;
            }

            public void Dispose() => inner.Dispose();
        }
    }
}
