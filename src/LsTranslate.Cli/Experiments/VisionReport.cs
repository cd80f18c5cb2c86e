using LsTranslate.Cli.Reports;

namespace LsTranslate.Cli.Experiments;

/// <summary>report.md for `reproduce vision`.</summary>
public static class VisionReport
{
    public static string Markdown(VisionReproductionResult result, string outDir)
    {
        string Relative(string path) => Path.GetRelativePath(outDir, path);
        var text = new System.Text.StringBuilder();
        text.AppendLine($"# Label smoothing on {result.Dataset}: scale {result.Scale}");
        text.AppendLine();
        text.AppendLine($"{result.Arch}, {result.Optimizer}, {result.Epochs} epochs on {result.TrainImages} training images " +
                        $"({result.ValidationImages} held out for validation and temperature fitting, {result.TestImages} test images), " +
                        $"{result.Runs.Count} runs: {result.TrainingSeconds / 60:0.0} minutes of training (from the runs' logs), " +
                        $"{result.Seconds / 60:0.0} minutes for this invocation. ECE with 15 bins on the test set. " +
                        "Values are mean ± sample standard deviation over seeds.");
        text.AppendLine();
        text.AppendLine($"Regime: {result.Regime} Training precision: {result.Precision} (validation, temperature fitting and every " +
                        "test number in fp32).");
        text.AppendLine();
        VisionLearningReport.AppendSection(text, result.Runs, [result.CurvePngs]);
        text.AppendLine("## Accuracy and calibration (the paper's Tables 2 and 3)");
        text.AppendLine();
        text.Append(ReportFiles.MarkdownTable(
            ["α", "runs", "accuracy", "NLL", "ECE", "T", "ECE after T", "NLL after T", "tightness (test)"],
            result.Summaries.Select(s => (IReadOnlyList<string>)[
                $"{s.Alpha}", $"{s.Runs}", $"{s.Accuracy}", $"{s.Nll}", $"{s.Ece}", $"{s.Temperature}", $"{s.ScaledEce}", $"{s.ScaledNll}", $"{s.TestTightness}"])));
        text.AppendLine();
        text.Append(ReportFiles.MarkdownTable(["α", "seed", "accuracy", "NLL", "ECE", "T", "ECE after T", "tightness (test)"],
            result.Runs.Select(r => (IReadOnlyList<string>)[$"{r.Alpha}", $"{r.Seed}", $"{r.Test.Accuracy:0.0000}", $"{r.Test.Nll:0.0000}",
                $"{r.Test.Ece:0.0000}", $"{r.Test.Temperature:0.000}", $"{r.Test.ScaledEce:0.0000}",
                string.Join(" ", r.Projection.Where(p => p.Split == "test").Select(p => $"{p.Tightness:0.0000}"))])));
        text.AppendLine();
        text.AppendLine("## The paper's claims, checked on our numbers");
        text.AppendLine();
        VisionLearningReport.AppendCaution(text, result.Runs);
        Claims.AppendMarkdown(text, result.Claims, "paper (CIFAR/ImageNet, Tables 1–2, Figure 1)");
        text.AppendLine();
        text.AppendLine($"## Penultimate layer (Figure 1): classes {string.Join(", ", result.Classes)}");
        text.AppendLine();
        text.AppendLine("Seed 1 of each α (every seed's pictures are in this folder; the tightness in the table above is over all seeds).");
        text.AppendLine();
        foreach (var run in result.Runs.Where(r => r.Seed == 1))
            foreach (var p in run.Projection)
                text.AppendLine($"![α = {run.Alpha}, {p.Split}, tightness {p.Tightness:0.000}]({Relative(p.Png)})");
        text.AppendLine();
        text.AppendLine("## Reliability diagrams");
        text.AppendLine();
        foreach (var run in result.Runs)
            text.AppendLine($"![α = {run.Alpha}, seed {run.Seed}]({Relative(run.ReliabilityPng)})");
        return text.ToString();
    }
}
