using System.Diagnostics;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using LsTranslate.Model.Runs;
using LsTranslate.Tests;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Faults;

/// <summary>
/// Kill -9 at moments chosen by a fixed seed, a kill halfway through a checkpoint write, SIGTERM: each run is
/// continued by rerunning the same command, and must end with the weights of a run nothing interrupted.
/// </summary>
public class TrainingFaultTests : TempFolderTest
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    string Corpus(string name, int pairs, int seed) => ToyCorpus.Write(Path.Combine(Root, name), pairs, seed);

    // One thread and fp32, so that every process computes bit for bit what the others do.
    string[] Train(string outDir, int steps = 90) =>
    [
        "train", "--train", Corpus("train.tsv", 300, 1), "--dev", Corpus("dev.tsv", 40, 2), "--out", Path.Combine(Root, outDir),
        "--preset", "tiny", "--vocab-size", "320", "--max-tokens", "256", "--dropout", "0.1", "--max-steps", $"{steps}", "--warmup", "4",
        "--validate-every", "10", "--log-every", "1", "--save-every", "3", "--threads", "1", "--precision", "fp32",
    ];

    static int RunToEnd(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = CliProcess.Start(args, environment);
        return process.Wait(Patience);
    }

    float[] Weights(string outDir, int steps = 90)
    {
        var dir = new ModelDirectory(Path.Combine(Root, outDir));
        using var model = new Seq2SeqTransformer(dir.ReadConfig().Model);
        var progress = Checkpoint.Load<TrainingProgress>(dir.LastCheckpoint, model);
        Assert.Equal(steps, progress.Step);
        return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void KilledAtTenMomentsEachRunContinuesToTheUninterruptedWeights()
    {
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, RunToEnd(Train("whole")));
        var whole = Weights("whole");
        double seconds = clock.Elapsed.TotalSeconds;

        var random = new Random(2026);
        for (int k = 0; k < 10; k++)
        {
            string name = $"killed-{k}";
            var moment = TimeSpan.FromSeconds(seconds * (0.1 + 0.85 * random.NextDouble()));
            using (var process = CliProcess.Start(Train(name)))
            {
                Thread.Sleep(moment);
                process.KillHard();
                process.Wait(Patience);
            }
            int code = RunToEnd(Train(name)); // the same command again: continues, or starts over where nothing was saved
            Assert.True(code == 0, $"continuing after a kill at {moment.TotalSeconds:F2} s exited {code}");
            Assert.True(whole.SequenceEqual(Weights(name)), $"weights differ after a kill at {moment.TotalSeconds:F2} s");
            Assert.Empty(Directory.GetFiles(Path.Combine(Root, name), "*.tmp-*"));
        }
    }

    [Fact]
    public void AKillHalfwayThroughACheckpointWriteLeavesThePreviousOneAndTheRunContinues()
    {
        Assert.Equal(0, RunToEnd(Train("whole")));
        // The 5th write of checkpoint.last is cut in half and the process killed, as a power cut would.
        int code = RunToEnd(Train("torn"), new Dictionary<string, string> { ["LSTRANSLATE_KILL_IN_WRITE"] = "checkpoint.last:5" });
        Assert.Equal(137, code);
        var dir = new ModelDirectory(Path.Combine(Root, "torn"));
        Assert.Single(Directory.GetFiles(dir.Path, "checkpoint.last.tmp-*"));
        Assert.Equal(10, Checkpoint.ReadProgress<TrainingProgress>(dir.LastCheckpoint).Step); // the 4th: --save-every 3, 6, 9, then the validation at 10

        Assert.Equal(0, RunToEnd(Train("torn")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
        Assert.True(Weights("whole").SequenceEqual(Weights("torn")));
    }

    [Fact]
    public void SigtermSavesSaysHowToContinueAndExits143()
    {
        // Long enough that the signal, sent once update 20 is logged, lands while training runs even on a busy machine.
        const int steps = 600;
        Assert.Equal(0, RunToEnd(Train("whole", steps)));
        using (var process = CliProcess.Start(Train("stopped", steps)))
        {
            Assert.True(process.WaitFor("step     20", Patience));
            // Twice at once, as when a scheduler signals the process group and a side-by-side parent passes it on: one stop.
            process.Signal(15);
            process.Signal(15);
            Assert.Equal(143, process.Wait(Patience));
            Assert.Contains("stopped by SIGTERM: checkpoint.last holds update", process.Stderr);
            Assert.Contains("rerun the same command to continue", process.Stderr);
        }
        var dir = new ModelDirectory(Path.Combine(Root, "stopped"));
        Assert.InRange(Checkpoint.ReadProgress<TrainingProgress>(dir.LastCheckpoint).Step, 20, steps - 1);
        Assert.Equal(0, RunToEnd(Train("stopped", steps)));
        Assert.True(Weights("whole", steps).SequenceEqual(Weights("stopped", steps)));
    }
}
