using System.Diagnostics;
using LsTranslate.Model;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace TrainThroughput;

/// <summary>
/// The real loop (Trainer.Run, resumed from a copy of the setup directory) over many updates, timed update by update:
/// target tokens/s per window of <see cref="Window"/> updates, the process's CPU time over wall time (from /proc), and
/// the phase table (Phases.cs) measured in this same process before the first update and after the last, so that
/// whatever the process accumulates while it trains (allocator, threads) shows in the late one. Lists the batch shapes
/// for the PyTorch twin and the matrix-product FLOPs for MFU.
/// </summary>
static class Sustained
{
    public const int Window = 20;

    public static object Measure(string setupDir, int steps, string precision, int threads = 2)
    {
        if (steps < Window) throw new ArgumentException($"need at least {Window} updates (one window)");
        var early = Phases.Measure(setupDir, precision, threads);
        var dir = Path.Combine(Path.GetTempPath(), $"lstranslate-bench-sustained-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(setupDir)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        try
        {
            var clock = new UpdateClock();
            // One more update than measured: the first resumed one warms up (JIT, allocator).
            var options = new TrainOptions { MaxSteps = 1 + 1 + steps };
            Trainer.Run(new TrainRequest(CorpusSource.FromTsv(Modes.Corpus), null, dir, options,
                new RunSettings(Threads: threads, Precision: precision), Resume: true), Console.Error, clock);
            var late = Phases.Measure(setupDir, precision, threads);

            var batches = Batches(setupDir, steps);
            var marks = clock.Marks; // the first: after the warm-up update, when the first measured one starts
            var windows = new List<double>();
            for (int w = 0; w + Window <= steps; w += Window)
            {
                double seconds = marks[w + Window].Wall - marks[w].Wall;
                windows.Add(Math.Round(batches.Skip(w).Take(Window).Sum(b => b.TargetTokens) / seconds, 1));
            }
            double wall = marks[^1].Wall - marks[0].Wall;
            var config = new ModelDirectory(setupDir).ReadConfig();
            double flops = Shape.TrainStepFlops(config.Model, batches);
            return new
            {
                mode = "sustained",
                precision,
                threads,
                measured_updates = steps,
                window_updates = Window,
                window_tokens_per_s = windows,
                last_over_first = Math.Round(windows[^1] / windows[0], 3),
                tokens_per_s = Math.Round(batches.Sum(b => b.TargetTokens) / wall, 1),
                seconds = Math.Round(wall, 1),
                cpu_cores_used = Math.Round((marks[^1].CpuSeconds - marks[0].CpuSeconds) / wall, 3),
                matmul_flops_per_s = Math.Round(flops / wall),
                rss_mb = new { after_warmup = marks[0].RssMb, at_end = marks[^1].RssMb },
                batches = batches.Select(b => new[] { b.Rows, b.Source, b.Target, b.TargetTokens }).ToArray(),
                phases = new { early, late },
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The shapes of updates 3 … 2 + <paramref name="steps"/>: the setup ran the plan's batch 0, the warm-up batch 1.</summary>
    static List<(int Rows, int Source, int Target, int TargetTokens)> Batches(string setupDir, int steps)
    {
        var config = new ModelDirectory(setupDir).ReadConfig();
        var pairs = EncodedPair.EncodeAll(ParallelCorpus.Read(CorpusSource.FromTsv(Modes.Corpus)), SubwordTokenizers.Load(setupDir),
            config.Training.MaxLength, config.Model.MaxPositions).Pairs;
        var batcher = new TokenBatcher(pairs, config.Training.MaxTokens, config.Training.Seed);
        return batcher.EpochPlan(0).Skip(2).Take(steps).Select(indices => (
            indices.Length,
            indices.Max(i => pairs[i].Source.Length),
            indices.Max(i => pairs[i].Target.Length) + 1,
            batcher.TargetTokens(indices))).ToList();
    }

    /// <summary>Told by the trainer after every update: wall clock, the process's CPU seconds and its resident memory then.</summary>
    sealed class UpdateClock : IWorkProgress
    {
        readonly Stopwatch clock = Stopwatch.StartNew();
        public List<(double Wall, double CpuSeconds, long RssMb)> Marks { get; } = [];
        public bool Visible => false;

        public void Report(string task, double done, double? total, string status = "") =>
            Marks.Add((clock.Elapsed.TotalSeconds, ProcessCpu.Seconds(), ProcessCpu.RssMb()));
    }
}

/// <summary>This process's CPU time (user + system, all threads) and resident memory (now and peak), from /proc/self.</summary>
static class ProcessCpu
{
    static readonly double TicksPerSecond = 100; // USER_HZ: 100 on Linux for every architecture it runs .NET on

    public static double Seconds()
    {
        // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    public static long RssMb() => StatusKb("VmRSS:") >> 10;

    public static double PeakRssMb() => Math.Round(StatusKb("VmHWM:") / 1024.0, 1);

    static long StatusKb(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
