using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Tests;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>A slice of the smoke scale end to end: every field of results.json, every plot, and resuming.</summary>
public class ReproduceTranslationTests : TempFolderTest
{
    static readonly TranslationScale Slice = TranslationScale.Smoke with
    {
        TrainPairs = 400, DevPairs = 30, TestPairs = 24, SweepPairs = 8, Temperatures = [0.9, 1.0, 1.2],
        Training = TranslationScale.Smoke.Training with { MaxSteps = 6, ValidateEvery = 3 },
    };

    TranslationRequest Request() => new(Slice, Root, RepositoryFiles.Corpus("train"), RepositoryFiles.Corpus("dev"), RepositoryFiles.Corpus("test"),
        [0.0, 0.1], null, Seed: 1, Beam: 2, LengthPenalty: 0.6, Command: "test", new RunSettings());

    [Fact]
    public void SmokeSliceWritesCompleteResultsPlotsAndResumes()
    {
        var results = TranslationReproduction.Run(Request(), TextWriter.Null)!;

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "results.json")));
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
        ClaimsShowTheNumbersOf(json.RootElement, results);
        Assert.Equal(Slice.Temperatures, results.Models[1].Sweep.Select(p => p.Temperature));
        foreach (var model in results.Models)
        {
            // The fitted temperature is the model's own, where `evaluate -t auto`, decode and serve read it.
            var directory = new ModelDirectory(model.Training.Directory);
            var recorded = directory.ReadCalibration()!;
            Assert.Equal(model.Fit.Temperature, recorded.Temperature);
            Assert.Equal(("last", model.Fit.DevBefore.Tokens, model.Fit.DevAfter.Ece), (recorded.Checkpoint, recorded.Count, recorded.EceAfter));
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.True(Cli.Run(["evaluate", "--model", directory.Path, "--checkpoint", "last", "--test", Request().Dev!, "-t", "auto"], stdout, stderr) == 0, stderr.ToString());
            Assert.Contains($"T = {recorded.Temperature:0.####}", stdout.ToString());
        }

        string[] plots = ["bleu-vs-temperature.png", "nll-vs-temperature.png", "ece-vs-temperature.png", "bleu-vs-ece.png",
            "curve-train-loss.png", "curve-dev-nll.png", "curve-dev-accuracy.png", "reliability-alpha-0.png", "reliability-alpha-0.1.png", "reliability-alpha-0-scaled.png", "reliability-alpha-0.1-scaled.png"];
        foreach (var plot in plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(Root, plot));
            Assert.True(bytes.Length > 1000 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{plot} is not a PNG");
        }
        var report = File.ReadAllText(Path.Combine(Root, "report.md"));
        Assert.Contains("## The paper's claims", report);
        Assert.Contains("## Learning curves", report);
        Assert.Contains("final** checkpoint", report);

        // A rerun computes nothing again: the models and every measurement are reused.
        int stepsDone = File.ReadAllLines(Path.Combine(Root, "done.jsonl")).Length;
        var again = TranslationReproduction.Run(Request(), TextWriter.Null)!;
        Assert.Equal(stepsDone, File.ReadAllLines(Path.Combine(Root, "done.jsonl")).Length);
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

    /// <summary>A number in a JSON document by its path ("models.0.test.ece").</summary>
    static double At(JsonElement root, string path)
    {
        foreach (var part in path.Split('.')) root = int.TryParse(part, out int i) ? root[i] : root.GetProperty(part);
        return root.GetDouble();
    }

    /// <summary>The numbers a claim's text shows, in order, each with the decimals it is shown to ("−" is a minus).</summary>
    static List<(double Value, int Decimals)> Numbers(string text) =>
        Regex.Matches(text.Replace('\u2212', '-'), @"[-+]?\d+(?:\.(\d+))?")
            .Select(m => (double.Parse(m.Value, CultureInfo.InvariantCulture), m.Groups[1].Success ? m.Groups[1].Length : 0)).ToList();

    /// <summary>The text shows exactly these values, in this order, each rounded to the decimals it shows.</summary>
    static void Shows(string text, params double[] expected)
    {
        var shown = Numbers(text);
        Assert.True(shown.Count == expected.Length, $"{shown.Count} numbers in '{text}', expected {expected.Length}: {string.Join(", ", expected)}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(shown[i].Value - expected[i]) <= 0.5 * Math.Pow(10, -shown[i].Decimals) + 1e-9,
                $"number {i + 1} of '{text}' is {shown[i].Value}, but results.json holds {expected[i]}");
    }

    /// <summary>
    /// Every number each claim states is the results.json value it is computed from (rounded as shown), and each verdict
    /// is what its interval there says, worked out here: shown when the interval lies wholly on the claimed side of 0.
    /// </summary>
    static void ClaimsShowTheNumbersOf(JsonElement root, TranslationResults results)
    {
        var claims = root.GetProperty("claims").EnumerateArray().ToList();
        string[] ours = claims.Select(c => c.GetProperty("ours").GetString()!).ToArray();
        double V(string path) => At(root, path);
        var models = root.GetProperty("uncertainty").GetProperty("models").EnumerateArray().ToList();
        string baseline = root.GetProperty("models")[0].GetProperty("name").GetString()!, smoothed = root.GetProperty("models")[1].GetProperty("name").GetString()!;
        int b = models.FindIndex(m => m.GetProperty("name").GetString() == baseline), s = models.FindIndex(m => m.GetProperty("name").GetString() == smoothed);
        string u = "uncertainty.smoothing", scaling = $"uncertainty.models.{b}.scaling";

        Shows(ours[0], V("models.0.decode.bleu.score"), V("models.1.decode.bleu.score"), V("models.1.training.alpha"),
            V($"{u}.bleu_difference"), V($"{u}.bleu_difference_ci.0"), V($"{u}.bleu_difference_ci.1"), V("significance.p_value"));
        Shows(ours[1], V("models.0.test.ece"), V("models.1.test.ece"), V($"{u}.ece_difference"), V($"{u}.ece_difference_ci.0"), V($"{u}.ece_difference_ci.1"));
        Shows(ours[2], V("models.0.test.nll"), V("models.1.test.nll"), V($"{u}.nll_difference"), V($"{u}.nll_difference_ci.0"), V($"{u}.nll_difference_ci.1"));
        Shows(ours[3], V("models.0.test.ece"), V("models.0.scaled_test.ece"), V("models.0.fit.temperature"),
            V($"{scaling}.ece_difference"), V($"{scaling}.ece_difference_ci.0"), V($"{scaling}.ece_difference_ci.1"));
        Shows(ours[4], V("models.0.decode.bleu.score"), V("models.0.scaled_decode.bleu.score"),
            V($"{scaling}.bleu_difference"), V($"{scaling}.bleu_difference_ci.0"), V($"{scaling}.bleu_difference_ci.1"));

        // The swept temperature that comes closest to beating T = 1: lowest ECE interval start, highest BLEU interval end.
        var sweep = models[s].GetProperty("sweep").EnumerateArray().ToList();
        int closestEce = sweep.FindIndex(c => c.GetProperty("ece_difference_ci")[0].GetDouble() == sweep.Min(d => d.GetProperty("ece_difference_ci")[0].GetDouble()));
        int closestBleu = sweep.FindIndex(c => c.GetProperty("bleu_difference_ci")[1].GetDouble() == sweep.Max(d => d.GetProperty("bleu_difference_ci")[1].GetDouble()));
        double After(int i) => Numbers(sweep[i].GetProperty("after").GetString()!).Single().Value;
        string m = $"uncertainty.models.{s}", e = $"{m}.sweep.{closestEce}", l = $"{m}.sweep.{closestBleu}";
        Shows(ours[5], V($"{m}.lowest_ece.temperature"), V($"{m}.lowest_ece.temperature_ci.0"), V($"{m}.lowest_ece.temperature_ci.1"),
            V($"{m}.best_bleu.temperature"), V($"{m}.best_bleu.temperature_ci.0"), V($"{m}.best_bleu.temperature_ci.1"), 1,
            After(closestEce), V($"{e}.ece_difference"), V($"{e}.ece_difference_ci.0"), V($"{e}.ece_difference_ci.1"),
            After(closestBleu), V($"{l}.bleu_difference"), V($"{l}.bleu_difference_ci.0"), V($"{l}.bleu_difference_ci.1"));

        string distance = ours[6];
        foreach (var model in models) distance = distance.Replace(model.GetProperty("name").GetString() + ":", "");
        Shows(distance, [.. Enumerable.Range(0, models.Count).SelectMany(i => new[] { "best_bleu", "lowest_ece", "lowest_nll" }
                .SelectMany(choice => new[] { V($"uncertainty.models.{i}.{choice}.temperature"), V($"uncertainty.models.{i}.{choice}.temperature_ci.0"), V($"uncertainty.models.{i}.{choice}.temperature_ci.1") })),
            V("uncertainty.ece_minus_nll_distance"), V("uncertainty.ece_minus_nll_distance_ci.0"), V("uncertainty.ece_minus_nll_distance_ci.1")]);

        // Verdicts: claims 1, 3 and 5 above zero, 2, 4 and 7 below; 6 on every swept T (ECE above zero, BLEU below).
        string Verdict(double low, double high, bool above) =>
            (above ? low > 0 : high < 0) ? "shown" : (above ? high < 0 : low > 0) ? "no: the opposite is shown" : "within noise";
        string Of(string ci, bool above) => Verdict(V(ci + ".0"), V(ci + ".1"), above);
        string[] expected =
        [
            Of($"{u}.bleu_difference_ci", true), Of($"{u}.ece_difference_ci", false), Of($"{u}.nll_difference_ci", true),
            Of($"{scaling}.ece_difference_ci", false), Of($"{scaling}.bleu_difference_ci", true),
            SweepVerdict(sweep.SelectMany(c => new[] { Verdict(c.GetProperty("ece_difference_ci")[0].GetDouble(), c.GetProperty("ece_difference_ci")[1].GetDouble(), true),
                Verdict(c.GetProperty("bleu_difference_ci")[0].GetDouble(), c.GetProperty("bleu_difference_ci")[1].GetDouble(), false) }).ToList()),
            Of("uncertainty.ece_minus_nll_distance_ci", false),
        ];
        Assert.Equal(expected, claims.Select(c => c.GetProperty("verdict").GetString()));

        // What `reproduce translation` prints is these claims: one line each, verdict, statement and the numbers above.
        var printed = new StringWriter();
        Claims.Print(printed, results.Claims);
        Assert.Equal(claims.Select(c => $"{c.GetProperty("verdict").GetString()}: {c.GetProperty("statement").GetString()} ({c.GetProperty("ours").GetString()})"),
            printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    static string SweepVerdict(List<string> parts) =>
        parts.Contains("no: the opposite is shown") ? "no: the opposite is shown" : parts.Count > 0 && parts.All(p => p == "shown") ? "shown" : "within noise";

    [Fact]
    public void ModelsTrainedSideBySideAreThoseTrainedOneAfterTheOtherAtTheirThreads()
    {
        var log = new StringWriter();
        var sideBySide = Request() with { OutDir = Path.Combine(Root, "side-by-side"), Settings = new RunSettings(Threads: 2, Precision: "fp32") };
        TranslationReproduction.Run(sideBySide, log);
        Assert.Contains("2 models side by side, 1 thread(s) each", log.ToString());
        Assert.Contains("[α = 0.1] model: tiny", log.ToString()); // each child's log, named
        var oneAtATime = Request() with { OutDir = Path.Combine(Root, "one-at-a-time"), Settings = new RunSettings(Threads: 1, Precision: "fp32"), SideBySide = false };
        TranslationReproduction.Run(oneAtATime, TextWriter.Null);
        foreach (var alpha in new[] { "alpha-0", "alpha-0.1" })
        {
            float[] Weights(string outDir)
            {
                var dir = new ModelDirectory(Path.Combine(outDir, "models", alpha));
                using var model = new LsTranslate.Model.Transformer.Seq2SeqTransformer(dir.ReadConfig().Model);
                Checkpoint.Load<TrainingProgress>(dir.LastCheckpoint, model);
                return [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];
            }
            Assert.Equal(Weights(oneAtATime.OutDir), Weights(sideBySide.OutDir));
            Assert.Empty(Directory.GetFiles(Path.Combine(sideBySide.OutDir, "models"), "*.train-job.json"));
        }
    }

    [Fact]
    public void RefusesAModelTrainedWithOtherOptions()
    {
        TranslationReproduction.Run(Request() with { Scale = Slice with { Training = Slice.Training with { MaxSteps = 2 }, Temperatures = [1.0] } }, TextWriter.Null);
        var error = Assert.Throws<InputError>(() => TranslationReproduction.Run(Request(), TextWriter.Null));
        Assert.Contains("other options", error.Message);
    }
}
