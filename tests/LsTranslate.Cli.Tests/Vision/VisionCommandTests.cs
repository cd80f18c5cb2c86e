using LsTranslate.Vision.Tests;

namespace LsTranslate.Cli.Tests.Vision;

public class VisionCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void TrainThenProjectOnToyData()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 300, test: 80);
        var model = Path.Combine(files.Directory, "model");
        var (code, output, error) = Run("vision", "train", "--data-dir", files.Directory, "--arch", "resnet8", "--epochs", "1",
            "--optimizer", "adam", "--validation", "60", "--label-smoothing", "0.1", "--out", model);
        Assert.True(code == 0, error);
        Assert.Matches(@"test accuracy \d\.\d{4}  nll \d+\.\d{4}  ece \d\.\d{4}  T \d+\.\d{3}", output);
        Assert.True(File.Exists(Path.Combine(model, "checkpoint.best")));
        Assert.True(File.Exists(Path.Combine(model, "reliability.png")));

        var pictures = Path.Combine(files.Directory, "pictures");
        (code, output, error) = Run("vision", "project", "--model", model, "--classes", "0,1,2", "--per-class", "10", "--out", pictures);
        Assert.True(code == 0, error);
        Assert.Contains("test: tightness", output);
        Assert.Equal(2, Directory.GetFiles(pictures, "*.png").Length);
    }

    [Theory]
    [InlineData("--arch", "vgg", "unknown architecture 'vgg'")]
    [InlineData("--optimizer", "rmsprop", "unknown optimizer 'rmsprop'")]
    [InlineData("--label-smoothing", "1.5", "--label-smoothing: 1.5 is outside [0, 1)")]
    [InlineData("--dataset", "cifar", "unknown dataset 'cifar'")]
    public void BadTrainOptionsAreOneErrorLine(string option, string value, string message)
    {
        var (code, _, error) = Run("vision", "train", option, value, "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.Equal(2, code);
        Assert.Equal($"lstranslate: error: ", error[..20]);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void MissingDataDirectoryIsOneErrorLine()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-fashion-dir");
        var (code, _, error) = Run("vision", "train", "--data-dir", missing, "--out", Path.Combine(missing, "m"));
        Assert.Equal(2, code);
        Assert.Equal($"lstranslate: error: {missing}: dataset directory not found\n", error.Replace("\r", ""));
    }

    [Fact]
    public void ReproduceRejectsBadClassesBeforeTraining()
    {
        var (code, _, error) = Run("reproduce", "vision", "--scale", "smoke", "--classes", "0,0,12", "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.Equal(2, code);
        Assert.Contains("--classes: need three different class ids in 0..9", error);
    }

    [Fact]
    public void ReproduceRejectsUnknownScale()
    {
        var (code, _, error) = Run("reproduce", "vision", "--scale", "huge", "--out", Path.Combine(Path.GetTempPath(), "never-written"));
        Assert.Equal(2, code);
        Assert.Contains("--scale: unknown scale 'huge' (known: smoke, quick, paper)", error);
    }

    [Fact]
    public void ProjectOnAMissingModelIsOneErrorLine()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-dir");
        var (code, _, error) = Run("vision", "project", "--model", missing, "--out", missing);
        Assert.Equal(2, code);
        Assert.Contains("model directory not found", error);
    }
}
