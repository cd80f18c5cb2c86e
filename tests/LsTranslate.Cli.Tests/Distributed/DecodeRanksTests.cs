using System.Diagnostics;
using LsTranslate.Cli.Tests.Faults;
using LsTranslate.Cli.Tests.Translation;
using LsTranslate.Model.Training;
using Xunit.Abstractions;
using LsTranslate.Model.Runs;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests.Distributed;

/// <summary>
/// `decode` shared out: over MPI ranks (mpiexec -np 2) the output is one process's byte for byte; `--shard K/N` gives
/// each shard its lines as if decoded alone, and scripts/merge-shards.sh puts the shards back into input order.
/// </summary>
public class DecodeRanksTests : TempFolderTest, IClassFixture<DecodeRanksTests.TinyModel>
{
    /// <summary>
    /// DecodeCommandTests' tiny model, trained 80 updates instead of 2 (about a second): enough that outputs differ from
    /// line to line ("Datei 3 ist offen"), so a line in the wrong place shows in plain output too.
    /// </summary>
    public sealed class TinyModel() : ToyModel(new TrainOptions { MaxSteps = 80, WarmupSteps = 5, LearningRate = 0.003 }, new RunSettings(Threads: 1));

    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    readonly TinyModel model;
    readonly ITestOutputHelper output;

    public DecodeRanksTests(TinyModel model, ITestOutputHelper output) => (this.model, this.output) = (model, output);

    /// <summary>Lines of 1 to 4 sentences (batches of mixed widths), every 37th from the 6th on empty (answered without a batch).</summary>
    static string[] Lines(int count) => Enumerable.Range(0, count)
        .Select(i => i % 37 == 5 ? "" : string.Join(' ', Enumerable.Range(0, 1 + i % 4).Select(j => $"file {(i + j) % 7} is open"))).ToArray();

    string Input(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    string[] Decode(params string[] extra) => ["decode", "--model", model.Dir, "--threads", "1", "--beam", "2", .. extra];

    /// <summary>Waits for a run started as its own process (one process too: the same binary and setup as the ranks); stdin is closed first.</summary>
    static CliProcess Finished(CliProcess process, string what)
    {
        process.CloseInput();
        int code = process.Wait(Timeout);
        Assert.True(code == 0, $"{what} exited {code}: {process.Stderr}");
        return process;
    }

    [SkippableFact]
    public void TwoRanksStreamingAFifoPrintWhatOneProcessPrints()
    {
        var launcher = MpiLauncher.Require();
        // 2,050 lines: two chunks (2,000 + 50); at 10 a batch they make 195 and 5 batches, odd counts for 2 ranks.
        // The ranks read them from a FIFO, as `--input <(command)` gives them, written as fast as it drains: about
        // 75 KiB, more than rank 0's pipe holds, which through stdin MPICH's launcher would end the run for.
        var lines = Lines(2050);
        string input = Input("in.txt", lines);
        string fifo = Path.Combine(Root, "in.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        string[] args = Decode("--batch-size", "10", "--input");

        using var one = Finished(CliProcess.Start([.. args, input]), "one process");
        using var ranks = MpiLauncher.Start(launcher, 2, [.. args, fifo]);
        var writer = new Thread(() => File.WriteAllLines(fifo, lines)) { IsBackground = true }; // opening waits for rank 0's
        writer.Start();
        Finished(ranks, "2 ranks");
        Assert.True(writer.Join(Timeout), "the FIFO was never read to its end");

        Assert.Equal(2050, one.Stdout.Split('\n').Length - 1);
        Assert.Contains("Datei 3 ist offen", one.Stdout);
        Assert.Equal(one.Stdout, ranks.Stdout); // rank 1 prints nothing
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(ranks.Stderr, "translated 2050 lines in")); // rank 0 alone reports
    }

    [SkippableFact]
    public void TwoRanksReadingStdinWriteTheSameNBestTokenScoresJsonFile()
    {
        var launcher = MpiLauncher.Require();
        // 301 lines, 8 of them empty: 37 batches of 8.
        var lines = Lines(301);
        string input = Input("in.txt", lines);
        string[] args = Decode("--batch-size", "8", "--nbest", "2", "--token-scores", "json");
        string oneOut = Path.Combine(Root, "one.jsonl"), ranksOut = Path.Combine(Root, "ranks.jsonl");

        using var one = Finished(CliProcess.Start([.. args, "--input", input, "--output", oneOut]), "one process");
        var ranks = MpiLauncher.Start(launcher, 2, [.. args, "--output", ranksOut]);
        using (ranks)
        {
            ranks.WriteInput(string.Join("\n", lines) + "\n"); // rank 0 reads stdin
            Finished(ranks, "2 ranks");
        }

        byte[] expected = File.ReadAllBytes(oneOut);
        Assert.Equal(301, File.ReadAllLines(oneOut).Length);
        Assert.Contains("\"probability\":", File.ReadAllText(oneOut));
        Assert.Equal(expected, File.ReadAllBytes(ranksOut));
        Assert.Equal("", ranks.Stdout);
    }

    [SkippableFact]
    public void ShardIsRefusedUnderSeveralRanks()
    {
        var launcher = MpiLauncher.Require();
        string input = Input("in.txt", Lines(5));
        using var ranks = MpiLauncher.Start(launcher, 2, Decode("--shard", "0/2", "--input", input));
        ranks.CloseInput();
        Assert.NotEqual(0, ranks.Wait(Timeout));
        Assert.Equal("", ranks.Stdout);
        // Rank 0's line; rank 1 may print the same problem, under its own name, before rank 0's abort ends it.
        var errors = ranks.Stderr.Split('\n').Where(l => l.StartsWith("lstranslate: ")).ToList();
        Assert.Equal(["lstranslate: error: --shard is for one process per shard (job arrays), but this run has 2 MPI ranks, which already share the input: drop --shard or start one process per shard"], errors);
    }

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    static (int Code, string Out, string Err) MergeShards(params string[] files)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepositoryFiles.Root, "scripts", "merge-shards.sh"));
        foreach (var file in files) info.ArgumentList.Add(file);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    [Fact]
    public void EachShardIsItsLinesDecodedAloneAndTheMergedShardsAreTheWhole()
    {
        // One sentence a batch: its result cannot depend on which other lines share its batch, so the whole input
        // decoded in one go is comparable with its shards (at larger batches padding may move the last digits).
        var lines = Lines(100);
        string input = Input("in.txt", lines);
        string[] args = Decode("--batch-size", "1", "--scores");
        var whole = Run([.. args, "--input", input]);
        Assert.True(whole.Code == 0, whole.Err);

        var shardFiles = new List<string>();
        for (int k = 0; k < 3; k++)
        {
            var shard = Run([.. args, "--input", input, "--shard", $"{k}/3"]);
            Assert.True(shard.Code == 0, shard.Err);
            var alone = Run([.. args, "--input", Input($"lines{k}.txt", lines.Where((_, i) => i % 3 == k))]);
            Assert.Equal(alone.Out, shard.Out);
            Assert.Equal(k == 0 ? 34 : 33, shard.Out.Split('\n').Length - 1);
            shardFiles.Add(Path.Combine(Root, $"out.{k}"));
            File.WriteAllText(shardFiles[k], shard.Out);
        }

        var merged = MergeShards([.. shardFiles]);
        Assert.True(merged.Code == 0, merged.Err);
        Assert.Equal(whole.Out, merged.Out);

        // Out of order (33, 34, 33 lines) they cannot be one input's shards.
        var swapped = MergeShards(shardFiles[1], shardFiles[0], shardFiles[2]);
        Assert.Equal(1, swapped.Code);
        Assert.Equal("", swapped.Out);
        Assert.Single(swapped.Err.TrimEnd().Split('\n'));
        Assert.Contains("cannot be the shards of one input", swapped.Err);
    }

    [Fact]
    public void AShardAnswersForItsOwnBadLinesOnlyAndKeepsTheInputsLineNumbers()
    {
        string input = Path.Combine(Root, "bad.txt");
        File.WriteAllBytes(input, [.. "file 1 is open\nfile "u8, 0xff, .. " 2\nfile 3 is open\nfile 4 is open\n"u8]);

        var other = Run(Decode("--input", input, "--shard", "0/2")); // lines 1 and 3: line 2 is shard 1's
        Assert.True(other.Code == 0, other.Err);
        Assert.Equal(2, other.Out.Split('\n').Length - 1);

        var own = Run(Decode("--input", input, "--shard", "1/2"));
        Assert.Equal(2, own.Code);
        Assert.Equal("lstranslate: error: " + input + ":2: invalid UTF-8", own.Err.TrimEnd());

        var copied = Run(Decode("--input", input, "--shard", "1/2", "--on-bad-line", "copy", "--nbest", "2"));
        Assert.True(copied.Code == 0, copied.Err);
        var printed = copied.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("1 ||| file \uFFFD 2 ||| ", printed[0]); // index 1: the input's second line
        Assert.All(printed[1..], l => Assert.StartsWith("3 ||| ", l));
        Assert.Contains("copied 1 line of invalid UTF-8: line 2", copied.Err);
    }

    [Theory]
    [InlineData("3/3", "--shard: K must be below N (shards 0/3 to 2/3), got '3/3'")]
    [InlineData("0/0", "--shard: N must be at least 1, got '0/0'")]
    [InlineData("2", "--shard: expected K/N with K from 0 (e.g. 0/4), got '2'")]
    [InlineData("-1/3", "--shard: expected K/N with K from 0 (e.g. 0/4), got '-1/3'")]
    [InlineData("a/b", "--shard: expected K/N with K from 0 (e.g. 0/4), got 'a/b'")]
    public void ShardValuesThatAreNotKOfNAreOneErrorLine(string value, string error)
    {
        string input = Input("in.txt", Lines(3));
        var run = Run(Decode("--input", input, "--shard", value));
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal("lstranslate: error: " + error, run.Err.TrimEnd());
    }
}
