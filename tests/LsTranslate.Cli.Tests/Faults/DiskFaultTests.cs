using LsTranslate.Model.Training;
using LsTranslate.Model.Runs;
using LsTranslate.Tests;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Faults;

/// <summary>A full disk, a read-only one, a path through a file: one error line naming the file and the cause, earlier outputs intact, no temp files.</summary>
public class DiskFaultTests : TempFolderTest
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    string Corpus()
    {
        string path = Path.Combine(Root, "train.tsv");
        File.WriteAllLines(path, Enumerable.Range(0, 200).Select(i => $"file {i % 7} is open\tDatei {i % 7} ist offen"));
        return path;
    }

    /// <summary>Training's progress lines may come first; the error is the last line, the only one, and no stack trace.</summary>
    static void OneErrorLine(string stderr, params string[] mentions)
    {
        var lines = stderr.TrimEnd('\n').Split('\n');
        var error = Assert.Single(lines, l => l.StartsWith("lstranslate: error: "));
        Assert.Equal(lines[^1], error);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at "));
        foreach (var text in mentions) Assert.Contains(text, error);
    }

    [SkippableFact]
    public void TrainingOntoAFullDiskIsOneLineAndKeepsTheLastCheckpoint()
    {
        // Room for the tokenizer and the first validation's checkpoints (best, last, step-N), not for the second's.
        using var disk = Prerequisite.Require(Tmpfs.TryMount("900k", out var why), $"no tmpfs could be mounted, which needs root or CAP_SYS_ADMIN ({why})");
        string model = Path.Combine(disk.Path, "model");
        var (code, _, error) = Run("train", "--train", Corpus(), "--dev", Corpus(), "--out", model, "--preset", "tiny", "--vocab-size", "300",
            "--max-tokens", "256", "--max-steps", "40", "--validate-every", "2", "--warmup", "1");
        Assert.NotEqual(0, code);
        OneErrorLine(error, "No space left on device", model);
        Assert.Empty(Directory.GetFiles(model, "*.tmp-*"));
        var dir = new ModelDirectory(model);
        Assert.Equal(2, Checkpoint.ReadProgress<TrainingProgress>(dir.LastCheckpoint).Step);
        using (dir.Load("last")) { } // intact
    }

    [SkippableFact]
    public void WritingToAReadOnlyDiskIsOneLine()
    {
        using var disk = Prerequisite.Require(Tmpfs.TryMount("1m", out var why), $"no tmpfs could be mounted, which needs root or CAP_SYS_ADMIN ({why})");
        disk.MakeReadOnly();
        string model = Path.Combine(Root, "model");
        Assert.Equal(0, Run("train", "--train", Corpus(), "--out", model, "--preset", "tiny", "--vocab-size", "300", "--max-steps", "1").Code);
        string input = Path.Combine(Root, "in.txt");
        File.WriteAllText(input, "file 1 is open\n");
        var decode = Run("decode", "--model", model, "--checkpoint", "last", "--input", input, "--output", Path.Combine(disk.Path, "out.txt"));
        var train = Run("train", "--train", Corpus(), "--out", Path.Combine(disk.Path, "model"), "--preset", "tiny", "--vocab-size", "300", "--max-steps", "1");
        foreach (var (code, _, error) in new[] { decode, train })
        {
            Assert.NotEqual(0, code);
            OneErrorLine(error, "Read-only file system", disk.Path);
        }
    }

    [Fact]
    public void AnOutputPathThroughAFileIsOneLine()
    {
        string file = Path.Combine(Root, "not-a-folder");
        File.WriteAllText(file, "");
        var (code, _, error) = Run("train", "--train", Corpus(), "--out", Path.Combine(file, "model"), "--preset", "tiny", "--vocab-size", "300", "--max-steps", "1");
        Assert.NotEqual(0, code);
        OneErrorLine(error, $"{file} is a file, not a folder");
    }
}
