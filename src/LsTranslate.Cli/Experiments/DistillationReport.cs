using LsTranslate.Cli.Reports;

namespace LsTranslate.Cli.Experiments;

/// <summary>report.md for `reproduce distillation`.</summary>
public static class DistillationReport
{
    public static string Markdown(DistillationReproductionResult result, string outDir)
    {
        var scale = result.Scale;
        string Relative(string path) => Path.GetRelativePath(outDir, path);
        string List(IEnumerable<double> values) => string.Join(", ", values);
        string Epochs(int n) => n == 1 ? "1 epoch" : $"{n} epochs";
        // Two standard errors of a difference of two accuracies near 0.85 on n test images, in points.
        double noise = 100 * 2 * Math.Sqrt(2 * 0.85 * 0.15 / Math.Max(1, result.TestImages));
        var text = new System.Text.StringBuilder();
        text.AppendLine($"# Distillation from label-smoothed teachers on {result.Dataset}: scale {scale.Name}");
        text.AppendLine();
        text.AppendLine($"Teachers {scale.TeacherArch} ({Epochs(scale.TeacherEpochs)}), students {scale.StudentArch} ({Epochs(scale.StudentEpochs)}), " +
                        $"{scale.Optimizer}, {result.TrainImages} training and {result.TestImages} test images; " +
                        $"{result.TrainingSeconds / 60:0.0} minutes of training (from the networks' logs), {result.Seconds / 60:0.0} minutes for this invocation. " +
                        $"Teachers α ∈ {{{List(scale.TeacherAlphas)}}} (the paper: {{{List(DistillationScale.PaperAlphas)}}}); " +
                        $"students distilled from the α = 0 teacher at T ∈ {{{List(scale.Temperatures)}}} (the paper: {{{List(DistillationScale.PaperTemperatures)}}}) " +
                        $"and from the smoothed teachers at T ∈ {{{List(scale.SmoothedTemperatures)}}}, " +
                        $"with β = {scale.Beta}: loss (1−β)·H(y, p) + β·H(p_teacher(T), p(T)), no T² factor. " +
                        "γ = E[Σ_k (1−y_k) p_teacher,k(T)] · K/(K−1) over the training images; students trained alone with label smoothing α have γ = α. " +
                        $"One seed per configuration, so a claim about accuracies counts as shown only where the difference exceeds two standard errors " +
                        $"of a difference of two accuracies on {result.TestImages} test images ({noise:0.0} points near 85 % accuracy); " +
                        "where a claim speaks for the best of several networks, that one is chosen by convergence and validation accuracy.");
        text.AppendLine();
        text.AppendLine($"Regime: {scale.Regime} Training precision: {result.Precision} (validation, γ and every test number in fp32).");
        text.AppendLine();
        IReadOnlyList<IDistillationNetwork> networks = [.. result.Teachers, .. result.Students, .. result.Baselines];
        VisionLearningReport.AppendSection(text, networks, result.Plots.Curves.Chunk(3));
        text.AppendLine("## The paper's claims, checked on our numbers");
        text.AppendLine();
        VisionLearningReport.AppendCaution(text, networks);
        Claims.AppendMarkdown(text, result.Claims, "paper (CIFAR-10, Figures 6–7)");
        text.AppendLine();
        text.AppendLine("## Teachers");
        text.AppendLine();
        text.Append(ReportFiles.MarkdownTable(["α", "accuracy", "NLL", "ECE"],
            result.Teachers.Select(t => (IReadOnlyList<string>)[$"{t.Alpha}", $"{t.Test.Accuracy:0.0000}", $"{t.Test.Nll:0.0000}", $"{t.Test.Ece:0.0000}"])));
        text.AppendLine();
        text.AppendLine("## Students");
        text.AppendLine();
        text.Append(ReportFiles.MarkdownTable(["teacher α", "T", "γ", "accuracy", "NLL", "ECE"],
            result.Students.Select(s => (IReadOnlyList<string>)[$"{s.TeacherAlpha}", $"{s.Temperature}", $"{s.Gamma:0.0000}",
                $"{s.Test.Accuracy:0.0000}", $"{s.Test.Nll:0.0000}", $"{s.Test.Ece:0.0000}"])));
        text.AppendLine();
        text.AppendLine("## Students trained alone with label smoothing");
        text.AppendLine();
        text.Append(ReportFiles.MarkdownTable(["α = γ", "accuracy", "NLL", "ECE"],
            result.Baselines.Select(b => (IReadOnlyList<string>)[$"{b.Alpha}", $"{b.Test.Accuracy:0.0000}", $"{b.Test.Nll:0.0000}", $"{b.Test.Ece:0.0000}"])));
        text.AppendLine();
        text.AppendLine($"![student accuracy vs γ]({Relative(result.Plots.StudentAccuracy)})");
        text.AppendLine($"![teacher accuracy vs α]({Relative(result.Plots.TeacherAccuracy)})");
        text.AppendLine();
        text.AppendLine("## Mutual information between example and logits (Figure 7)");
        text.AppendLine();
        text.AppendLine($"X: one of N training examples of classes {string.Join(" and ", scale.MiClasses)}; Y: the difference of those two classes' logits " +
                        $"on one of L = {scale.MiCopies} augmented copies; every {scale.MiEvery} steps. Y | X = x is taken as Gaussian with the example's " +
                        "mean μ_x over its copies and the pooled within-example variance σ², and I ≈ log N + mean_x,l [−(y_xl − μ_x)²/(2σ²) − " +
                        "log Σ_x' exp(−(y_xl − μ_x')²/(2σ²))], averaged over the copies y_xl as in the paper; at most log N by construction, " +
                        "Monte Carlo error below 0 clamped. " +
                        "log 2 is what is left when Y only tells the two classes apart.");
        text.AppendLine();
        text.Append(ReportFiles.MarkdownTable(["α", "N", "log N", "measurements", "first", "last", "mean of last third", "test accuracy"],
            result.MutualInformation.Select(m => (IReadOnlyList<string>)[$"{m.Alpha}", $"{m.Examples}", $"{m.LogN:0.0000}", $"{m.Points.Count}",
                m.Points.Count > 0 ? $"{m.Points[0].Nats:0.0000}" : "–", m.Points.Count > 0 ? $"{m.Points[^1].Nats:0.0000}" : "–",
                $"{m.LateMean:0.0000}", $"{m.Test.Accuracy:0.0000}"])));
        text.AppendLine();
        text.AppendLine($"![mutual information vs steps]({Relative(result.Plots.MutualInformation)})");
        return text.ToString();
    }
}
