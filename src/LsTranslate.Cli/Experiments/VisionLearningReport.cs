using LsTranslate.Model.IO;
using System.Globalization;
using System.Text;
using LsTranslate.Cli.Reports;
using LsTranslate.Vision;

namespace LsTranslate.Cli.Experiments;

/// <summary>The learning-curve part of the vision and distillation reports: PNGs per family, a table, a caution.</summary>
public static class VisionLearningReport
{
    const string Rule = "Finished learning = validation accuracy gained less than 0.5 points over the last 25 % of epochs " +
                               "(from the last epoch at or before 75 % of them to the final one). Every test number in this report is " +
                               "measured on each network's **final** weights (checkpoint.last), not on the epoch that validated best.";

    /// <summary>Writes {prefix}-train-loss.png, {prefix}-val-nll.png and {prefix}-val-accuracy.png; returns their file names.</summary>
    public static IReadOnlyList<string> DrawCurves(string outDir, string prefix, string family, IEnumerable<ILearnedNetwork> networks)
    {
        AtomicFile.CreateDirectory(outDir);
        var files = new List<string>();
        foreach (var (name, title, yLabel, value) in new (string, string, string, Func<VisionEpochLog, double>)[]
                 {
                     ("train-loss", "training loss (the network's objective)", "train loss", e => e.TrainLoss),
                     ("val-nll", "validation NLL", "validation NLL", e => e.ValidationNll),
                     ("val-accuracy", "validation accuracy", "validation accuracy", e => e.ValidationAccuracy),
                 })
        {
            var file = $"{prefix}-{name}.png";
            Plots.Lines(Path.Combine(outDir, file), $"{family}: {title} vs epochs", "epoch", yLabel,
                networks.Select(n => new PlotSeries(n.Label, n.Learning.Epochs.Select(e => (double)e.Epoch).ToList(), n.Learning.Epochs.Select(value).ToList())));
            files.Add(file);
        }
        return files;
    }

    /// <summary>The "Learning curves" section: the rule, one table row per network, the PNGs (one line per family).</summary>
    public static void AppendSection(StringBuilder md, IEnumerable<ILearnedNetwork> networks, IEnumerable<IEnumerable<string>> pngFamilies)
    {
        md.AppendLine("## Learning curves");
        md.AppendLine();
        md.AppendLine(Rule);
        md.AppendLine();
        AppendTable(md, networks);
        md.AppendLine();
        foreach (var family in pngFamilies)
            md.AppendLine(string.Join(" ", family.Select(png => $"![{Path.GetFileNameWithoutExtension(png)}]({png})")));
        md.AppendLine();
    }

    static void AppendTable(StringBuilder md, IEnumerable<ILearnedNetwork> networks)
    {
        static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        md.Append(ReportFiles.MarkdownTable(
            ["network", "precision", "epochs", "training time", "final train acc.", "final val. acc.", "val. acc. gain, last 25 %",
             "val. NLL minimum", "final val. NLL", "finished learning"],
            networks.Select(n =>
            {
                var c = n.Learning;
                return (IReadOnlyList<string>)[
                    n.Label, c.Precision, $"{c.Epochs.Count}", $"{F(c.Minutes, "F1")} min",
                    c.Final is { } f ? F(f.TrainAccuracy * 100, "F2") + " %" : "-", c.Final is { } v ? F(v.ValidationAccuracy * 100, "F2") + " %" : "-",
                    c.FinalGain is { } g ? F(g * 100, "+0.00;-0.00") + " points" : "-",
                    c.NllMinimum is { } min ? $"{F(min.ValidationNll, "F4")} at epoch {min.Epoch}" : "-",
                    c.Final is { } n2 ? F(n2.ValidationNll, "F4") : "-", c.Converged ? "**yes**" : "no"];
            })));
    }

    /// <summary>A warning above the claims when some network had not finished learning (nothing otherwise).</summary>
    public static void AppendCaution(StringBuilder md, IEnumerable<ILearnedNetwork> networks)
    {
        var unfinished = networks.Where(n => !n.Learning.Converged).Select(n => n.Label).ToList();
        if (unfinished.Count == 0) return;
        md.AppendLine($"**Caution:** {string.Join(", ", unfinished)} had not finished learning by the rule in the learning-curve section; " +
                      "the paper's claims are about finished networks, so read the verdicts that rest on them as provisional.");
        md.AppendLine();
    }
}
