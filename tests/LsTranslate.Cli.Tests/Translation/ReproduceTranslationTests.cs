using System.Text.Json;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>A slice of the smoke scale end to end: every field of results.json, every plot, and resuming.</summary>
public class ReproduceTranslationTests : IDisposable
{
    readonly string outDir = Directory.CreateTempSubdirectory("lst-reproduce-").FullName;

    public void Dispose() => Directory.Delete(outDir, recursive: true);

    static readonly TranslationScale Slice = TranslationScale.Smoke with
    {
        TrainPairs = 400, DevPairs = 30, TestPairs = 24, SweepPairs = 8, Temperatures = [0.9, 1.0, 1.2],
        Training = TranslationScale.Smoke.Training with { MaxSteps = 6, ValidateEvery = 3 },
    };

    TranslationRequest Request() => new(Slice, outDir, RepositoryFiles.Corpus("train"), RepositoryFiles.Corpus("dev"), RepositoryFiles.Corpus("test"),
        [0.0, 0.1], null, Seed: 1, Beam: 2, LengthPenalty: 0.6, Command: "test", new RunSettings());

    [Fact]
    public void SmokeSliceWritesCompleteResultsPlotsAndResumes()
    {
        var results = TranslationReproduction.Run(Request(), TextWriter.Null)!;

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var models = json.RootElement.GetProperty("models");
        Assert.Equal(2, models.GetArrayLength());
        foreach (var model in models.EnumerateArray())
        {
            var test = model.GetProperty("test");
            Assert.InRange(test.GetProperty("nll").GetDouble(), 0.01, 20);
            Assert.InRange(test.GetProperty("ece").GetDouble(), 0, 1);
            Assert.InRange(test.GetProperty("accuracy").GetDouble(), 0, 1);
            Assert.Equal(15, test.GetProperty("bins").GetArrayLength());
            Assert.InRange(model.GetProperty("decode").GetProperty("bleu").GetProperty("score").GetDouble(), 0, 100);
            Assert.InRange(model.GetProperty("fit").GetProperty("temperature").GetDouble(), 0.05, 20);
            Assert.Equal(3, model.GetProperty("sweep").GetArrayLength());
            Assert.Equal(6, model.GetProperty("training").GetProperty("steps").GetInt64());
            var learning = model.GetProperty("learning");
            Assert.Equal(6, learning.GetProperty("updates").GetInt64());
            Assert.Contains(learning.GetProperty("precision").GetString(), new[] { "fp32", "bf16" });
            Assert.True(learning.GetProperty("converged").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.InRange(learning.GetProperty("minutes").GetDouble(), 0, 60);
            Assert.Equal(2, learning.GetProperty("curve").GetProperty("dev").GetArrayLength());
        }
        Assert.InRange(json.RootElement.GetProperty("significance").GetProperty("p_value").GetDouble(), 0, 1);
        var uncertainty = json.RootElement.GetProperty("uncertainty");
        foreach (var ci in new[] { "bleu_difference_ci", "ece_difference_ci", "nll_difference_ci" })
        {
            var pair = uncertainty.GetProperty("smoothing").GetProperty(ci).EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.True(pair.Count == 2 && pair[0] <= pair[1], ci);
        }
        foreach (var model in uncertainty.GetProperty("models").EnumerateArray())
        {
            Assert.Equal(2, model.GetProperty("scaling").GetProperty("ece_difference_ci").GetArrayLength());
            Assert.Equal(Slice.Temperatures.Length - 1, model.GetProperty("sweep").GetArrayLength());
            var best = model.GetProperty("best_bleu");
            Assert.Equal(2, best.GetProperty("temperature_ci").GetArrayLength());
            Assert.Equal(1.0, best.GetProperty("shares").EnumerateArray().Sum(s => s.GetProperty("share").GetDouble()), 9);
        }
        Assert.Equal(2, uncertainty.GetProperty("ece_minus_nll_distance_ci").GetArrayLength());
        Assert.Equal(7, json.RootElement.GetProperty("claims").GetArrayLength());
        Assert.Equal(Slice.Temperatures, results.Models[1].Sweep.Select(p => p.Temperature));

        string[] plots = ["bleu-vs-temperature.png", "nll-vs-temperature.png", "ece-vs-temperature.png", "bleu-vs-ece.png",
            "curve-train-loss.png", "curve-dev-nll.png", "curve-dev-accuracy.png", "reliability-alpha-0.png", "reliability-alpha-0.1.png", "reliability-alpha-0-scaled.png", "reliability-alpha-0.1-scaled.png"];
        foreach (var plot in plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, plot));
            Assert.True(bytes.Length > 1000 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{plot} is not a PNG");
        }
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## The paper's claims", report);
        Assert.Contains("## Learning curves", report);
        Assert.Contains("final** checkpoint", report);

        // A rerun computes nothing again: the models and every measurement are reused.
        int stepsDone = File.ReadAllLines(Path.Combine(outDir, "done.jsonl")).Length;
        var again = TranslationReproduction.Run(Request(), TextWriter.Null)!;
        Assert.Equal(stepsDone, File.ReadAllLines(Path.Combine(outDir, "done.jsonl")).Length);
        Assert.Equal(results.Models[0].Decode.Bleu.Score, again.Models[0].Decode.Bleu.Score);

        // Another beam recomputes every decode (and the significance on them), and nothing that does not depend on it.
        var log = new StringWriter();
        TranslationReproduction.Run(Request() with { Beam = 1 }, log);
        var redone = log.ToString().Split('\n').Where(l => l.StartsWith("[run]")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(2 * (2 + Slice.Temperatures.Length) + 2, redone.Count);
        Assert.All(redone, step => Assert.True(step.Contains("/decode-") || step is "significance" or "uncertainty", step));
        Assert.Contains("beam: 2 → 1", log.ToString());

        // Sweeping the whole test set decodes every other temperature again, takes T = 1 from the test decode, and keeps
        // the calibration: it does not depend on which sentences are decoded.
        log = new StringWriter();
        TranslationReproduction.Run(Request() with { Beam = 1, Scale = Slice with { SweepPairs = 0 } }, log);
        var swept = log.ToString().Split('\n').Where(l => l.StartsWith("[run]")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(["alpha-0/decode-sweep-T0.90", "alpha-0/decode-sweep-T1.20", "alpha-0.1/decode-sweep-T0.90", "alpha-0.1/decode-sweep-T1.20", "uncertainty"], swept);
    }

    [Fact]
    public void RefusesAModelTrainedWithOtherOptions()
    {
        TranslationReproduction.Run(Request() with { Scale = Slice with { Training = Slice.Training with { MaxSteps = 2 }, Temperatures = [1.0] } }, TextWriter.Null);
        var error = Assert.Throws<LsTranslate.Model.InputError>(() => TranslationReproduction.Run(Request(), TextWriter.Null));
        Assert.Contains("other options", error.Message);
    }
}
