using System.Diagnostics;
using LsTranslate.Cli.Tests.Faults;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using Xunit.Abstractions;
using LsTranslate.Model.Runs;
using LsTranslate.Tests;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Distributed;

/// <summary>
/// `mpiexec -np 2 lstranslate train` against one process with --update-freq 2, with a real MPI: the same updates, a
/// rank that dies ends the run, SIGTERM to one rank stops both with a checkpoint, and a rerun continues.
/// </summary>
public class DataParallelTrainingTests(ITestOutputHelper output) : TempFolderTest
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    string Corpus(string name, int pairs, int seed) => ToyCorpus.Write(Path.Combine(Root, name), pairs, seed, maxWords: 8);

    // fp32, one thread and no dropout: what differs between the two ways is only the order of sums.
    string[] Train(string outDir, int steps, params string[] more) =>
    [
        "train", "--train", Corpus("train.tsv", 600, 1), "--dev", Corpus("dev.tsv", 40, 2), "--out", Path.Combine(Root, outDir),
        "--preset", "tiny", "--vocab-size", "320", "--max-tokens", "256", "--dropout", "0", "--max-steps", $"{steps}", "--warmup", "4",
        "--validate-every", "50", "--log-every", "1", "--threads", "1", "--precision", "fp32", .. more,
    ];

    static int RunToEnd(CliProcess process)
    {
        using (process) return process.Wait(Patience);
    }

    (List<NamedWeights> Tensors, long Step) Weights(string outDir)
    {
        var dir = new ModelDirectory(Path.Combine(Root, outDir));
        using var model = new Seq2SeqTransformer(dir.ReadConfig().Model);
        var progress = Checkpoint.Load<TrainingProgress>(dir.LastCheckpoint, model);
        return (model.named_parameters().Select(p => new NamedWeights(p.name, p.parameter.data<float>().ToArray())).ToList(), progress.Step);
    }

    List<StepRecord> Steps(string outDir) => TrainLog.Read(new ModelDirectory(Path.Combine(Root, outDir))).Steps;

    List<ValidationRecord> Validations(string outDir) => TrainLog.Read(new ModelDirectory(Path.Combine(Root, outDir))).Validations;

    [SkippableFact]
    public void TwoRanksMakeTheUpdatesOfOneProcessWithUpdateFreqTwo()
    {
        var mpiexec = MpiLauncher.Require();
        Assert.Equal(0, RunToEnd(CliProcess.Start(Train("initial", 0))));
        Assert.Equal(0, RunToEnd(CliProcess.Start(Train("one", 12, "--update-freq", "2"))));
        using (var ranks = MpiLauncher.Start(mpiexec, 2, Train("two", 12)))
        {
            Assert.True(ranks.Wait(Patience) == 0, ranks.Stderr);
            Assert.Contains("data-parallel: 2 ranks over MPI", ranks.Stderr);
            Assert.Single(ranks.Stderr.Split('\n'), line => line.StartsWith("model written to")); // rank 0 alone reports
        }

        var (one, two) = (Steps("one"), Steps("two"));
        Assert.Equal(12, one.Count);
        Assert.Equal(one.Select(s => s.TargetTokens), two.Select(s => s.TargetTokens));
        foreach (var (a, b) in one.Zip(two))
            Assert.True(Math.Abs(a.Loss - b.Loss) <= 1e-5 * Math.Abs(a.Loss), $"step {a.Step}: loss {a.Loss} in one process, {b.Loss} over two ranks");

        // Attention key biases cannot change any output (a softmax ignores what is added to all its scores alike), so
        // their exact gradient is zero and Adam's tiny epsilon turns the order of sums into steps of its own: they
        // differ between the two ways about as much as they moved (measured: 0.8-1.2×). That they change nothing is
        // checked by the losses above and the dev scores below. Every other tensor is compared with how far it moved.
        var (w0, w1, w2) = (Weights("initial").Tensors, Weights("one").Tensors, Weights("two").Tensors);
        for (int i = 0; i < w1.Count; i++)
        {
            if (w1[i].Name.EndsWith("key.bias")) continue;
            double moved = NamedWeights.Distance(w1[i], w0[i]), apart = NamedWeights.Distance(w2[i], w1[i]);
            Assert.True(apart <= 1e-3 * moved, $"{w1[i].Name}: ‖w₂−w₁‖ = {apart:E3} against ‖w₁−w₀‖ = {moved:E3}");
        }
        var (devOne, devTwo) = (Validations("one").Last(), Validations("two").Last());
        Assert.Equal(devOne.Tokens, devTwo.Tokens);
        Assert.True(Math.Abs(devOne.Nll - devTwo.Nll) <= 1e-5 * devOne.Nll, $"dev nll {devOne.Nll} in one process, {devTwo.Nll} over two ranks");
    }

    [SkippableFact]
    public void ARankThatDiesEndsTheRunAndARerunContinues()
    {
        var mpiexec = MpiLauncher.Require();
        var args = Train("killed", 400, "--save-every", "5");
        using (var ranks = MpiLauncher.Start(mpiexec, 2, args))
        {
            Assert.True(ranks.WaitFor("step     20", Patience), ranks.Stderr);
            var clock = Stopwatch.StartNew();
            kill(Rank(1, "killed"), 9);
            Assert.NotEqual(0, ranks.Wait(TimeSpan.FromSeconds(60)));
            output.WriteLine($"the run ended {clock.Elapsed.TotalSeconds:F1} s after rank 1 was killed");
        }
        using (var rerun = MpiLauncher.Start(mpiexec, 2, args))
        {
            Assert.True(rerun.Wait(Patience) == 0, rerun.Stderr);
            Assert.Contains("resumed at step", rerun.Stderr);
        }
        Assert.Equal(400, Weights("killed").Step);
    }

    [SkippableFact]
    public void SigtermToOneRankStopsBothAfterTheUpdateWithOneCheckpoint()
    {
        var mpiexec = MpiLauncher.Require();
        var args = Train("stopped", 400);
        using (var ranks = MpiLauncher.Start(mpiexec, 2, args))
        {
            Assert.True(ranks.WaitFor("step     20", Patience), ranks.Stderr);
            kill(Rank(1, "stopped"), 15);
            Assert.Equal(143, ranks.Wait(Patience));
            Assert.Single(ranks.Stderr.Split('\n'), line => line.Contains("stopped by SIGTERM: checkpoint.last holds update"));
        }
        long saved = Weights("stopped").Step;
        Assert.InRange(saved, 20, 399);
        Assert.Equal(saved, Steps("stopped").Last().Step);
        using (var rerun = MpiLauncher.Start(mpiexec, 2, args))
            Assert.True(rerun.Wait(Patience) == 0, rerun.Stderr);
        Assert.Equal(400, Weights("stopped").Step);
    }

    /// <summary>The process that is rank <paramref name="rank"/> of the run writing into <paramref name="outDir"/>, found by its launcher's variables.</summary>
    int Rank(int rank, string outDir)
    {
        string target = Path.Combine(Root, outDir);
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (!commandLine.Contains(target) || !commandLine.Any(a => a.EndsWith("lstranslate.dll"))) continue;
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains($"PMI_RANK={rank}"))
                    return int.Parse(Path.GetFileName(dir));
            }
            catch (IOException) { } // a process that ended while we looked
            catch (UnauthorizedAccessException) { }
        }
        throw new InvalidOperationException($"no rank {rank} writing {target}");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}

/// <summary>One parameter's values, by name.</summary>
sealed record NamedWeights(string Name, float[] Values)
{
    public static double Distance(NamedWeights a, NamedWeights b) =>
        Math.Sqrt(a.Values.Zip(b.Values, (x, y) => (double)(x - y) * (x - y)).Sum());
}
