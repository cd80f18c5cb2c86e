using LsTranslate.Model.IO;
using LsTranslate.Cli.Reports;

namespace LsTranslate.Cli.Experiments;

/// <summary>The PNGs of `reproduce distillation`: the paper's Figure 6 (two panels) and Figure 7.</summary>
public static class DistillationFigures
{
    public static DistillationPlots Draw(string outDir, DistillationScale scale, IReadOnlyList<TeacherResult> teachers,
        IReadOnlyList<StudentResult> students, IReadOnlyList<BaselineResult> baselines, IReadOnlyList<MutualInformationResult> information)
    {
        AtomicFile.CreateDirectory(outDir);
        var plots = new DistillationPlots(
            Path.Combine(outDir, "student-accuracy-vs-gamma.png"),
            Path.Combine(outDir, "teacher-accuracy-vs-alpha.png"),
            Path.Combine(outDir, "mutual-information.png"),
            [
                .. VisionLearningReport.DrawCurves(outDir, "curve-teachers", $"{scale.TeacherArch} teachers", teachers),
                .. VisionLearningReport.DrawCurves(outDir, "curve-students", $"{scale.StudentArch} distilled students", students),
                .. VisionLearningReport.DrawCurves(outDir, "curve-alone", $"{scale.StudentArch} students alone", baselines),
            ]);

        var families = new[]
        {
            Series("students of the α = 0 teacher (T varies)", students.Where(s => s.TeacherAlpha == 0).Select(s => (s.Gamma, s.Test.Accuracy))),
            Series("students of smoothed teachers at T = 1", students.Where(s => s.TeacherAlpha > 0 && s.Temperature == 1).Select(s => (s.Gamma, s.Test.Accuracy))),
            Series("trained alone with label smoothing (γ = α)", baselines.Select(b => (b.Alpha, b.Test.Accuracy))),
        };
        Plots.Lines(plots.StudentAccuracy, $"{scale.StudentArch} students (β = {scale.Beta})", "equivalent smoothing γ", "test accuracy",
            families.Where(f => f.X.Count > 0));
        Plots.Lines(plots.TeacherAccuracy, $"{scale.TeacherArch} teachers", "label smoothing α", "test accuracy",
            [Series("teacher", teachers.Select(t => (t.Alpha, t.Test.Accuracy)))]);

        var curves = information.Where(m => m.Points.Count > 0)
            .Select(m => new PlotSeries($"α = {m.Alpha}", m.Points.Select(p => (double)p.Step).ToArray(), m.Points.Select(p => p.Nats).ToArray()))
            .ToList();
        if (curves.Count > 0)
        {
            double first = curves.Min(c => c.X[0]), last = curves.Max(c => c.X[^1]);
            double logN = information.Max(m => m.LogN);
            curves.Add(new PlotSeries($"log N = {logN:0.00}", [first, last], [logN, logN]));
            curves.Add(new PlotSeries("log 2", [first, last], [Math.Log(2), Math.Log(2)]));
        }
        Plots.Lines(plots.MutualInformation, $"I(example; logit difference), {scale.TeacherArch}", "training step", "mutual information (nats)", curves);
        return plots;
    }

    static PlotSeries Series(string label, IEnumerable<(double X, double Y)> points)
    {
        var sorted = points.OrderBy(p => p.X).ToArray();
        return new PlotSeries(label, sorted.Select(p => p.X).ToArray(), sorted.Select(p => p.Y).ToArray());
    }
}
