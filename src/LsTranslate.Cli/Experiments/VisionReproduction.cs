using LsTranslate.Cli.Reports;
using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Vision;
using TorchSharp;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Experiments;

/// <summary>One trained model's learning curve and the measurements of its final weights.</summary>
public sealed record VisionRunResult(double Alpha, long Seed, string ModelDir, VisionLearningCurve Learning, CalibrationSummary Test,
    IReadOnlyList<ProjectionTightness> Projection, string ReliabilityPng) : ILearnedNetwork
{
    public string Label => $"α = {Alpha}, seed {Seed}";
}

/// <summary>Mean and sample standard deviation over seeds.</summary>
public sealed record MeanStd(double Mean, double Std)
{
    public static MeanStd Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new MeanStd(mean, std);
    }

    public override string ToString() => Std > 0 ? $"{Mean:0.0000} ± {Std:0.0000}" : $"{Mean:0.0000}";
}

/// <summary>Aggregates for one smoothing value.</summary>
public sealed record VisionAlphaSummary(double Alpha, int Runs, MeanStd Accuracy, MeanStd Nll, MeanStd Ece,
    MeanStd Temperature, MeanStd ScaledEce, MeanStd ScaledNll, MeanStd TestTightness);

/// <param name="TrainingSeconds">the networks' training loops, from their logs (also when this invocation reused them).</param>
/// <param name="Seconds">this invocation.</param>
/// <param name="Precision">of training, as requested (each network's curve says what its epochs ran in); measurements are fp32.</param>
/// <param name="CurvePngs">train loss, validation NLL and accuracy against epochs, every network in each.</param>
public sealed record VisionReproductionResult(string Scale, string Regime, string Dataset, string Arch, string Optimizer, int Epochs,
    string Precision, long TrainImages, long ValidationImages, long TestImages, IReadOnlyList<int> Classes,
    IReadOnlyList<VisionRunResult> Runs, IReadOnlyList<VisionAlphaSummary> Summaries, IReadOnlyList<Claim> Claims,
    IReadOnlyList<string> CurvePngs, double TrainingSeconds, double Seconds);

/// <summary>
/// The paper's vision experiments (Tables 2–3, Figure 1) at a chosen scale: for each α and seed, train,
/// measure the final weights' accuracy/NLL/ECE before and after temperature scaling, project the penultimate
/// layer; then report.md, results.json and PNGs (learning curves among them) with the paper's claims checked
/// against our numbers.
/// </summary>
public static class VisionReproduction
{
    public static VisionReproductionResult Run(VisionScale scale, string? dataDir, IReadOnlyList<int> classes, RunSettings settings,
        string outDir, TextWriter log, IWorkProgress? workProgress = null)
    {
        var (device, precision) = (settings.TorchDevice, settings.ResolvedPrecision);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProjectionFigure.CheckClasses(classes, ImageDatasets.FashionMnist.Classes);
        var runs = new List<VisionRunResult>();
        VisionTrainOptions? last = null;
        (long Train, long Validation, long Test) sizes = default;
        foreach (var alpha in scale.Alphas)
            for (int seed = 1; seed <= scale.Seeds; seed++)
            {
                var options = new VisionTrainOptions
                {
                    DataDir = dataDir, Arch = scale.Arch, Optimizer = scale.Optimizer, Epochs = scale.Epochs,
                    TrainLimit = scale.TrainLimit, TestLimit = scale.TestLimit, Validation = scale.Validation, LabelSmoothing = alpha, Seed = seed,
                }.Validated();
                last = options;
                var name = $"ls{alpha:0.###}-seed{seed}";
                var modelDir = Path.Combine(outDir, "runs", name);
                using var data = VisionData.Load(options);
                sizes = (data.Train.Count, data.Validation.Count, data.Test.Count);
                using var model = VisionTrainer.Run(new VisionTrainRequest(options, data, modelDir, settings), log, workProgress);
                var summary = VisionEvaluation.Measure(model, data, device);
                var reliability = Path.Combine(outDir, $"reliability-{name}.png");
                Plots.Reliability(reliability, $"{scale.Arch}, α = {alpha}, seed {seed}", summary.Bins, summary.Ece);
                var projection = ProjectionFigure.Draw(model, data, classes, scale.PerClass, device, outDir, $"projection-{name}",
                    $"{scale.Arch}, α = {alpha}, seed {seed}");
                log.WriteLine($"  test accuracy {summary.Accuracy:0.0000}  nll {summary.Nll:0.0000}  ece {summary.Ece:0.0000}  " +
                              $"T {summary.Temperature:0.000}  ece after T {summary.ScaledEce:0.0000}");
                runs.Add(new VisionRunResult(alpha, seed, modelDir, VisionLearningCurve.Read(modelDir), summary, projection, reliability));
            }

        var summaries = scale.Alphas.Select(alpha => Summarise(alpha, runs.Where(r => r.Alpha == alpha).ToList())).ToList();
        var curves = VisionLearningReport.DrawCurves(outDir, "curve", $"{scale.Arch}, {scale.Epochs} epochs", runs);
        var result = new VisionReproductionResult(scale.Name, scale.Regime, last!.Dataset, scale.Arch, scale.Optimizer, scale.Epochs,
            precision.Name(), sizes.Train, sizes.Validation, sizes.Test, classes, runs, summaries, VisionClaims.Check(summaries), curves,
            VisionModelDirectory.TrainingSeconds(runs.Select(r => r.ModelDir)), clock.Elapsed.TotalSeconds);
        ReportFiles.WriteJson(Path.Combine(outDir, "results.json"), result);
        ReportFiles.WriteText(Path.Combine(outDir, "report.md"), VisionReport.Markdown(result, outDir));
        return result;
    }

    static VisionAlphaSummary Summarise(double alpha, IReadOnlyList<VisionRunResult> runs) => new(
        alpha, runs.Count,
        MeanStd.Of(runs.Select(r => r.Test.Accuracy)), MeanStd.Of(runs.Select(r => r.Test.Nll)), MeanStd.Of(runs.Select(r => r.Test.Ece)),
        MeanStd.Of(runs.Select(r => r.Test.Temperature)), MeanStd.Of(runs.Select(r => r.Test.ScaledEce)), MeanStd.Of(runs.Select(r => r.Test.ScaledNll)),
        MeanStd.Of(runs.SelectMany(r => r.Projection).Where(p => p.Split == "test").Select(p => p.Tightness)));
}
