using System.Text.Json;
using LsTranslate.Cli.Experiments;
using LsTranslate.Vision.Tests;
using LsTranslate.Vision;
using TorchSharp;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Tests.Distillation;

public class DistillCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An untrained teacher directory on toy data: enough for the command's plumbing, at no training cost.</summary>
    static string WriteTeacher(IdxTestFiles files, double alpha = 0.1)
    {
        var options = new VisionTrainOptions
        {
            DataDir = files.Directory, Arch = "resnet8", Epochs = 1, BatchSize = 40, Validation = 40, Optimizer = "adam", LabelSmoothing = alpha,
        };
        var dir = Path.Combine(files.Directory, "teacher");
        using var model = Architectures.Create("resnet8", 1, 10, 28, 28);
        Checkpoint.Save(VisionModelDirectory.Open(dir, options).BestCheckpoint, model, new VisionProgress(1, 1, 0, []), optimizer: null);
        return dir;
    }

    [Fact]
    public void DistilsAStudentAndRecordsHowItWasTaught()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 160, test: 40);
        var teacher = WriteTeacher(files);
        var student = Path.Combine(files.Directory, "student");
        var (code, output, error) = Run("vision", "distill", "--teacher", teacher, "--student-arch", "resnet8", "--temperature", "2", "--beta", "1",
            "--out", student);
        Assert.True(code == 0, error);
        Assert.Matches(@"student test accuracy \d\.\d{4}  nll \d+\.\d{4}  ece \d\.\d{4}\n", output.Replace("\r", ""));
        Assert.Matches(@"gamma \d\.\d{4} \(teacher α = 0\.1, T = 2, β = 1\)", output);

        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(student, DistillationRecord.FileName)));
        Assert.Equal(2.0, record.RootElement.GetProperty("temperature").GetDouble());
        // γ ∈ [0, K/(K−1)]: above 1 when the tempered teacher gives the gold class less than 1/K (an untrained teacher can).
        Assert.InRange(record.RootElement.GetProperty("gamma").GetDouble(), 0, 4.0 / 3);
        var (options, reloaded) = new VisionModelDirectory(student).Load(torch.CPU);
        using (reloaded) Assert.Equal(0.0, options.LabelSmoothing); // the student's own config, from the teacher's data options
        Assert.Equal(files.Directory, options.DataDir);
    }

    [Theory]
    [InlineData("--beta", "1.5", "--beta: 1.5 is outside [0, 1]")]
    [InlineData("--beta", "-0.5", "--beta: -0.5 is outside [0, 1]")]
    [InlineData("--temperature", "0", "--temperature: must be positive and finite, got 0")]
    [InlineData("--temperature", "-2", "--temperature: must be positive and finite, got -2")]
    public void BadBetaOrTemperatureIsOneErrorLine(string option, string value, string message)
    {
        var (code, _, error) = Run("vision", "distill", "--teacher", "no-such-teacher", option, value, "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.Equal(2, code);
        Assert.Equal($"lstranslate: error: {message}\n", error.Replace("\r", ""));
    }

    [Theory]
    [InlineData("vision", "distill")]
    [InlineData("distill", null)] // the old top-level name, hidden from help but kept for scripts
    public void MissingTeacherIsOneErrorLine(string command, string? subcommand)
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-teacher-dir");
        string[] name = subcommand is null ? [command] : [command, subcommand];
        var (code, _, error) = Run([.. name, "--teacher", missing, "--out", Path.Combine(missing, "st")]);
        Assert.Equal(2, code);
        Assert.Contains("model directory not found", error);
    }

    [Fact]
    public void TeacherForOtherImageShapeIsOneErrorLine()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 60, test: 10);
        var teacher = WriteTeacher(files);
        var small = Path.Combine(files.Directory, "small");
        Directory.CreateDirectory(small);
        foreach (var (prefix, count) in new[] { ("train", 60), ("t10k", 10) })
        {
            File.WriteAllBytes(Path.Combine(small, $"{prefix}-images-idx3-ubyte"), [.. IdxTestFiles.Header(count, 20, 20), .. new byte[count * 400]]);
            File.WriteAllBytes(Path.Combine(small, $"{prefix}-labels-idx1-ubyte"), [.. IdxTestFiles.Header(count), .. new byte[count]]);
        }
        var (code, _, error) = Run("vision", "distill", "--teacher", teacher, "--data-dir", small, "--out", Path.Combine(files.Directory, "st"));
        Assert.Equal(2, code);
        Assert.Equal($"lstranslate: error: --teacher {teacher}: the teacher takes 1×28×28 images but the student's data has 1×20×20\n",
            error.Replace("\r", ""));
    }

    [Fact]
    public void ReproduceRejectsUnknownScale()
    {
        var (code, _, error) = Run("reproduce", "distillation", "--scale", "huge", "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.Equal(2, code);
        Assert.Contains("--scale: unknown scale 'huge' (known: smoke, quick, paper)", error);
    }
}
