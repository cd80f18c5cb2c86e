using LsTranslate.Model.IO;
using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Cli.Reports;

/// <summary>Tightness of the projected clusters of one split (see <see cref="PenultimateProjection.Tightness"/>).</summary>
public sealed record ProjectionTightness(string Split, double Tightness, string Png);

/// <summary>The paper's Figure 1 (penultimate-layer projections), shared by `vision project` and `reproduce vision`.</summary>
public static class ProjectionFigure
{
    /// <summary>
    /// The paper's Figure 1 for one model: projects <paramref name="perClass"/> train and test examples of
    /// three classes onto the plane of their templates, writes one scatter PNG per split, returns tightness.
    /// </summary>
    public static IReadOnlyList<ProjectionTightness> Draw(ImageClassifier model, VisionData data, IReadOnlyList<int> classes,
        int perClass, Device device, string outDir, string name, string title)
    {
        var info = data.Test.Info;
        CheckClasses(classes, info.Classes);
        using var allTemplates = model.Templates();
        using var chosen = tensor(classes.Select(c => (long)c).ToArray());
        using var templates = allTemplates.index_select(0, chosen);
        using var projection = new PenultimateProjection(templates);
        AtomicFile.CreateDirectory(outDir);
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

}
