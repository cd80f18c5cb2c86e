using System.Diagnostics;
using LsTranslate.Model;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace TrainThroughput;

static class Modes
{
    public const string Corpus = "corpora/en-de/train.tsv.gz";
    const int Threads = 2;

    /// <summary>One real step from scratch: learns the BPE vocabulary and leaves checkpoint.last to resume from.</summary>
    public static object Setup(string dir)
    {
        var options = new TrainOptions
        {
            Preset = "small", MaxTokens = 4096, LabelSmoothing = 0.1, Seed = 1, MaxSteps = 1,
            LogEvery = 1, ValidateEvery = 1_000_000, KeepLast = 0,
        };
        Trainer.Run(new TrainRequest(CorpusSource.FromTsv(Corpus), null, dir, options, new RunSettings(Threads: Threads)), Console.Error);
        return new { mode = "setup", dir };
    }

    /// <summary>
    /// Trainer.Run resumed from a copy of the setup directory for <paramref name="steps"/> steps. The first
    /// resumed step warms up (JIT, allocator); tokens/s is measured over the others from train-log.jsonl.
    /// Under mpiexec every rank trains (data-parallel) in the one copy rank 0 makes; rank 0 alone reports.
    /// </summary>
    /// <param name="updateFreq">written into the copy's recipe, so that one process accumulates the global batch of N ranks.</param>
    public static object? Full(string setupDir, int steps, string precision, int threads = Threads, int updateFreq = 1)
    {
        if (steps < 2) throw new ArgumentException("need at least 2 steps (1 warm-up)");
        var ranks = Communicator.World;
        var dir = ranks.Broadcast(Path.Combine(Path.GetTempPath(), $"lstranslate-bench-full-{Environment.ProcessId}"));
        if (ranks.IsRoot)
        {
            Directory.CreateDirectory(dir);
            foreach (var file in Directory.GetFiles(setupDir)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            var copy = new ModelDirectory(dir);
            var config = copy.ReadConfig();
            copy.WriteConfig(config with { Training = config.Training with { UpdateFreq = updateFreq } });
        }
        ranks.Barrier();
        try
        {
            var options = new TrainOptions { MaxSteps = 1 + steps };
            Trainer.Run(new TrainRequest(CorpusSource.FromTsv(Corpus), null, dir, options, new RunSettings(Threads: threads, Precision: precision), Resume: true), Console.Error);
            if (!ranks.IsRoot) return null;
            var records = TrainLog.Read(new ModelDirectory(dir)).Steps
                .Where(r => r.Step >= 2)
                .Select(r => (Tokens: r.TargetTokens, Seconds: r.ElapsedSeconds))
                .ToList();
            var (first, last) = (records[0], records[^1]);
            var stepSeconds = records.Zip(records.Skip(1), (a, b) => Math.Round(b.Seconds - a.Seconds, 3)).ToArray();
            double seconds = last.Seconds - first.Seconds;
            long tokens = last.Tokens - first.Tokens;
            return new
            {
                mode = "full",
                precision,
                ranks = ranks.Size,
                threads,
                update_freq = updateFreq,
                measured_steps = records.Count - 1,
                target_tokens = tokens,
                seconds = Math.Round(seconds, 3),
                tokens_per_s = Math.Round(tokens / seconds, 1),
                step_seconds = stepSeconds,
                peak_rss_mb = ProcessCpu.PeakRssMb(),
            };
        }
        finally
        {
            ranks.Barrier();
            if (ranks.IsRoot) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The setup model and optimizer state, the same batches (plan of epoch 0 from batch 1), dropout seeds and update
    /// (<see cref="TrainingUpdate"/>, as Trainer runs it) as Full, without the loop's logging, validation and checkpoints.
    /// </summary>
    public static object Bare(string setupDir, int steps, string precision)
    {
        new RunSettings(Threads: Threads).ApplyToProcess();
        var modelDir = new ModelDirectory(setupDir);
        var config = modelDir.ReadConfig();
        var options = config.Training;
        var tokenizer = SubwordTokenizers.Load(setupDir);
        var pairs = EncodedPair.EncodeAll(ParallelCorpus.Read(CorpusSource.FromTsv(Corpus)), tokenizer, options.MaxLength, config.Model.MaxPositions).Pairs;
        var batcher = new TokenBatcher(pairs, options.MaxTokens, options.Seed);
        var plan = batcher.EpochPlan(0);

        using var model = new Seq2SeqTransformer(config.Model);
        model.Precision = Precisions.Resolve(precision, CPU);
        var parameters = model.parameters().ToList();
        using var optimizer = TrainingUpdate.CreateOptimizer(parameters, options);
        Checkpoint.Load<TrainingProgress>(modelDir.LastCheckpoint, model, optimizer);
        model.train();

        var clock = new Stopwatch();
        long tokens = 0;
        var shapes = new List<(int, int, int)>();
        var batchTokens = new List<int>();
        var stepSeconds = new List<double>();
        double lastMark = 0;
        for (int i = 1; i <= steps; i++)
        {
            if (i == 2) clock.Start(); // batch 1 warms up, as in Full
            manual_seed(TrainingUpdate.DropoutSeed(options, 1 + i));
            using var batch = batcher.Make(plan[i]);
            TrainingUpdate.Update(model, optimizer, parameters, [batch], options);
            if (i >= 2)
            {
                tokens += batch.TargetTokens;
                shapes.Add(Shape.Of(batch));
                batchTokens.Add(batch.TargetTokens);
                stepSeconds.Add(Math.Round(clock.Elapsed.TotalSeconds - lastMark, 3));
                lastMark = clock.Elapsed.TotalSeconds;
            }
        }
        clock.Stop();
        double seconds = clock.Elapsed.TotalSeconds;
        double flopsPerStep = Shape.TrainStepFlops(config.Model, shapes.Zip(batchTokens, (b, t) => (b.Item1, b.Item2, b.Item3, t))) / shapes.Count;
        long parameterCount = parameters.Sum(p => p.numel());
        return new
        {
            mode = "bare",
            precision = model.Precision.Name(),
            // (sentences, source length, target length) of each measured batch, with its real target tokens: the PyTorch twin runs the same.
            batches = shapes.Zip(batchTokens, (shape, t) => new[] { shape.Item1, shape.Item2, shape.Item3, t }).ToArray(),
            measured_steps = steps - 1,
            target_tokens = tokens,
            seconds = Math.Round(seconds, 3),
            tokens_per_s = Math.Round(tokens / seconds, 1),
            step_seconds = stepSeconds,
            peak_rss_mb = ProcessCpu.PeakRssMb(),
            parameters = parameterCount,
            matmul_flops_per_step = flopsPerStep,
            six_n_t_flops_per_step = 6.0 * parameterCount * tokens / shapes.Count,
            padded_target_positions_per_step = shapes.Sum(s => (double)s.Item1 * s.Item3) / shapes.Count,
            target_tokens_per_step = (double)tokens / shapes.Count,
        };
    }

    /// <summary>
    /// 2-thread matrix products in fp32 and bf16: square ones and the small preset's feed-forward shape
    /// (4,096 rows × 256 → 1,024), GFLOP/s each, the arithmetic ceiling of the two precisions.
    /// </summary>
    public static object Matmul()
    {
        set_num_threads(Threads);
        (string Name, long M, long K, long N)[] shapes = [("512x512x512", 512, 512, 512), ("1024x1024x1024", 1024, 1024, 1024), ("ffn 4096x256x1024", 4096, 256, 1024)];
        var rows = shapes.Select(shape => new
        {
            shape = shape.Name,
            fp32_gflops = Gflops(shape.M, shape.K, shape.N, ScalarType.Float32),
            bf16_gflops = Gflops(shape.M, shape.K, shape.N, ScalarType.BFloat16),
        }).ToList();
        return new { mode = "matmul", threads = Threads, sizes = rows };
    }

    static double Gflops(long m, long k, long n, ScalarType type)
    {
        using var scope = NewDisposeScope();
        var a = randn(m, k).to(type);
        var b = randn(k, n).to(type);
        for (int i = 0; i < 3; i++) a.mm(b).Dispose();
        int reps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1.5)
        {
            a.mm(b).Dispose();
            reps++;
        }
        return Math.Round(2.0 * m * k * n * reps / clock.Elapsed.TotalSeconds / 1e9, 1);
    }

}
