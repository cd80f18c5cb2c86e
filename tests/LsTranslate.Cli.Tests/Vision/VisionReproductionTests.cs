using LsTranslate.Model;
using System.Text.Json;
using LsTranslate.Cli.Experiments;
using LsTranslate.Vision.Tests;
using TorchSharp;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Tests.Vision;

public class VisionReproductionTests
{
    [Fact]
    public void TinyRunWritesReportAndARerunOnlyMeasures()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 160, test: 40);
        var outDir = Path.Combine(files.Directory, "report");
        var scale = new VisionScale("test", "a test", "resnet8", "adam", Epochs: 1, TrainLimit: 0, Validation: 40, Seeds: 2, Alphas: [0, 0.1], PerClass: 5);
        var result = VisionReproduction.Run(scale, files.Directory, [0, 1, 2], new RunSettings(Precision: "fp32"), outDir, TextWriter.Null);

        Assert.Equal(4, result.Runs.Count);
        Assert.Equal((120L, 40L, 40L), (result.TrainImages, result.ValidationImages, result.TestImages));
        Assert.All(result.Summaries, s => Assert.Equal(2, s.Runs));
        Assert.True(result.TrainingSeconds > 0);
        Assert.Equal(4, result.Claims.Count);
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| α | seed | accuracy |", report);
        Assert.Contains("## The paper's claims, checked on our numbers", report);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(4, json.RootElement.GetProperty("runs").GetArrayLength());
        // One epoch: too short for the convergence rule to say yes, and results.json says so per network.
        Assert.All(json.RootElement.GetProperty("runs").EnumerateArray(), run =>
        {
            Assert.False(run.GetProperty("learning").GetProperty("converged").GetBoolean());
            Assert.Equal(1, run.GetProperty("learning").GetProperty("epochs").GetArrayLength());
        });
        Assert.Contains("## Learning curves", report);
        Assert.Contains("**Caution:**", report);
        Assert.Equal(["curve-train-loss.png", "curve-val-nll.png", "curve-val-accuracy.png"], result.CurvePngs);
        Assert.All(result.CurvePngs, png => Assert.True(new FileInfo(Path.Combine(outDir, png)).Length > 1000, png));

        var log = new StringWriter();
        var again = VisionReproduction.Run(scale, files.Directory, [0, 1, 2], new RunSettings(Precision: "fp32"), outDir, log);
        Assert.DoesNotContain("vision: training", log.ToString());
        Assert.Equal(result.Runs.Select(r => r.Test.Accuracy), again.Runs.Select(r => r.Test.Accuracy));
        Assert.Equal(result.TrainingSeconds, again.TrainingSeconds, 6);
    }
}
