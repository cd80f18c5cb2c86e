using LsTranslate.Cli.Reports;
using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Cli.Experiments;

/// <summary>Tightness of the projected clusters of one split (see <see cref="PenultimateProjection.Tightness"/>).</summary>
public sealed record ProjectionTightness(string Split, double Tightness, string Png);

/// <summary>The steps shared by `vision train`, `vision project` and `reproduce vision`.</summary>
public static class VisionRuns
{
    /// <summary>
    /// Trains one model into its directory, logging each epoch to stderr; resumes an unfinished run there and only
    /// loads a finished one. Without <paramref name="loss"/> the objective is label smoothing with options.LabelSmoothing;
    /// <paramref name="objective"/> names another one (stored with the options, so a rerun resumes only the same training).
    /// Training runs in <paramref name="precision"/>; the returned model is in fp32, for measuring.
    /// </summary>
    public static ImageClassifier Train(VisionTrainOptions options, VisionData data, string outDir, Device device, Precision precision, TextWriter log,
        VisionLoss? loss = null, string? objective = null, Action<int, ImageClassifier>? afterStep = null, bool overwrite = false)
    {
        options = options with { Objective = objective };
        var directory = VisionModelDirectory.Open(outDir, options, overwrite);
        int done = directory.EpochsDone();
        log.WriteLine(done == options.Epochs ? $"vision: reusing the finished model in {outDir}"
            : $"vision: {(done > 0 ? $"resuming after epoch {done}: " : "")}training {options.Arch} on {data.Train.Count} {options.Dataset} images " +
              $"(validation {data.Validation.Count}, {objective ?? $"α = {options.LabelSmoothing}"}, seed {options.Seed}, {precision.Name()}) → {outDir}");
        return VisionTrainer.Train(options, data, directory, device, e => log.WriteLine(
            $"  epoch {e.Epoch}/{options.Epochs}  lr {e.LearningRate:g3}  train loss {e.TrainLoss:0.0000} nll {e.TrainNll:0.0000} " +
            $"acc {e.TrainAccuracy:0.0000}  val acc {e.ValidationAccuracy:0.0000} nll {e.ValidationNll:0.0000}  {e.ImagesPerSecond:0} img/s"),
            loss: loss, afterStep: afterStep, precision: precision);
    }

    /// <summary>
    /// Seconds the training loops of these model directories took, from their logs: whichever invocation trained
    /// them, so a report over reused networks still states what they cost.
    /// </summary>
    public static double TrainingSeconds(IEnumerable<string> modelDirs) =>
        modelDirs.Distinct().Sum(dir => new VisionModelDirectory(dir).ReadLog().Sum(e => e.Seconds));

    /// <summary>Test accuracy, NLL and ECE, and temperature scaling fitted on the validation split.</summary>
    public static CalibrationSummary Measure(ImageClassifier model, VisionData data, Device device)
    {
        using var testLogits = VisionEvaluation.Logits(model, data.Test, device);
        using var validationLogits = VisionEvaluation.Logits(model, data.Validation, device);
        return CalibrationSummary.Measure(testLogits, data.Test.Labels, validationLogits, data.Validation.Labels);
    }

    /// <summary>
    /// The paper's Figure 1 for one model: projects <paramref name="perClass"/> train and test examples of
    /// three classes onto the plane of their templates, writes one scatter PNG per split, returns tightness.
    /// </summary>
    public static IReadOnlyList<ProjectionTightness> Project(ImageClassifier model, VisionData data, IReadOnlyList<int> classes,
        int perClass, Device device, string outDir, string name, string title)
    {
        var info = data.Test.Info;
        CheckClasses(classes, info.Classes);
        using var allTemplates = model.Templates();
        using var chosen = tensor(classes.Select(c => (long)c).ToArray());
        using var templates = allTemplates.index_select(0, chosen);
        using var projection = new PenultimateProjection(templates);
        Directory.CreateDirectory(outDir);
        var results = new List<ProjectionTightness>();
        foreach (var (split, source) in new[] { ("train", data.Train), ("test", data.Test) })
        {
            using var subset = source.FirstOfClasses(classes, perClass);
            using var features = VisionEvaluation.Features(model, subset, device);
            using var points = projection.Project(features);
            var png = Path.Combine(outDir, $"{name}-{split}.png");
            var x = points[TensorIndex.Colon, 0].data<double>().ToArray();
            var y = points[TensorIndex.Colon, 1].data<double>().ToArray();
            var labels = subset.Labels.data<long>().ToArray();
            Plots.Scatter(png, $"{title}, {split}", "template plane axis 1", "template plane axis 2",
                classes.Select(c => new PlotSeries(info.ClassNames[c],
                    x.Where((_, i) => labels[i] == c).ToArray(), y.Where((_, i) => labels[i] == c).ToArray())));
            results.Add(new ProjectionTightness(split, PenultimateProjection.Tightness(points, subset.Labels), png));
        }
        return results;
    }

    /// <summary>Three different class ids below <paramref name="classCount"/>, or an InputError.</summary>
    public static void CheckClasses(IReadOnlyList<int> classes, int classCount)
    {
        if (classes.Count != 3 || classes.Distinct().Count() != 3 || classes.Any(c => c < 0 || c >= classCount))
            throw new InputError($"--classes: need three different class ids in 0..{classCount - 1}, got {string.Join(",", classes)}");
    }

    /// <summary>Parses "0,2,4" into class ids.</summary>
    public static IReadOnlyList<int> ParseClasses(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new List<int>();
        foreach (var part in parts)
            ids.Add(int.TryParse(part, out var id) ? id : throw new InputError($"--classes: '{part}' is not a class id"));
        return ids;
    }

    /// <summary>"cpu" or "cuda[:n]", refusing CUDA where this build or machine has none.</summary>
    public static Device ParseDevice(string name) => Devices.Parse(name);
}
