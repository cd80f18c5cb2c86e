using System.Globalization;
using System.Text;
using LsTranslate.Cli.Reports;
using LsTranslate.Decode.Evaluation;
using LsTranslate.Model.Training;

namespace LsTranslate.Cli.Experiments;

/// <summary>report.md, results.json and the PNG plots of `reproduce translation`.</summary>
public static class TranslationReport
{
    public static void Write(string outDir, TranslationResults results)
    {
        ReportFiles.WriteJson(Path.Combine(outDir, "results.json"), results);
        var curves = LearningCurvePlots(outDir, results).ToList();
        var plots = WritePlots(outDir, results);
        ReportFiles.WriteText(Path.Combine(outDir, "report.md"), Markdown(results, curves, plots));
    }

    static IReadOnlyList<string> WritePlots(string outDir, TranslationResults results)
    {
        var files = new List<string>();
        void Sweep(string file, string title, string yLabel, Func<SweepPoint, double> y)
        {
            Plots.Lines(Path.Combine(outDir, file), title, "temperature T", yLabel,
                results.Models.Select(m => new PlotSeries(Label(m), m.Sweep.Select(p => p.Temperature).ToList(), m.Sweep.Select(y).ToList())));
            files.Add(file);
        }
        Sweep("bleu-vs-temperature.png", $"BLEU vs T (beam {results.Setup.Beam}, {results.Setup.SweepPairs:N0} test sentences)", "BLEU", p => p.Bleu);
        Sweep("nll-vs-temperature.png", "NLL per token vs T (test, teacher forcing)", "NLL", p => p.Nll);
        Sweep("ece-vs-temperature.png", "ECE vs T (test, 15 bins)", "ECE", p => p.Ece);
        Plots.Lines(Path.Combine(outDir, "bleu-vs-ece.png"), "BLEU vs ECE across temperatures", "ECE", "BLEU",
            results.Models.Select(m => new PlotSeries(Label(m), m.Sweep.Select(p => p.Ece).ToList(), m.Sweep.Select(p => p.Bleu).ToList())));
        files.Add("bleu-vs-ece.png");
        foreach (var m in results.Models)
        {
            string file = $"reliability-{m.Name}.png";
            Plots.Reliability(Path.Combine(outDir, file), $"{Label(m)}, T = 1", m.Test.Bins, m.Test.Ece);
            files.Add(file);
            string scaled = $"reliability-{m.Name}-scaled.png";
            Plots.Reliability(Path.Combine(outDir, scaled), $"{Label(m)}, T = {m.Fit.Temperature:0.###}", m.ScaledTest.Bins, m.ScaledTest.Ece);
            files.Add(scaled);
        }
        return files;
    }

    /// <summary>Train loss, dev NLL and dev accuracy against updates, the dev-NLL minimum and the final point marked.</summary>
    static IEnumerable<string> LearningCurvePlots(string outDir, TranslationResults results)
    {
        var models = results.Models;
        Plots.Lines(Path.Combine(outDir, "curve-train-loss.png"), "Training loss (smoothed for α > 0) vs updates", "update", "train loss",
            models.Select(m => new PlotSeries(Label(m), m.Learning.Curve.Train.Select(p => (double)p.Step).ToList(), m.Learning.Curve.Train.Select(p => p.Loss).ToList())));
        yield return "curve-train-loss.png";
        foreach (var (file, title, yLabel, value) in new (string, string, string, Func<ValidationRecord, double>)[]
                 {
                     ("curve-dev-nll.png", "Dev NLL per token vs updates", "dev NLL", p => p.Nll),
                     ("curve-dev-accuracy.png", "Dev token accuracy vs updates", "dev token accuracy", p => p.Accuracy),
                 })
        {
            var marks = models.SelectMany(m => new[]
            {
                Mark($"{Label(m)} dev-NLL minimum", m.Learning.NllMinimum, value),
                Mark($"{Label(m)} final (measured)", m.Learning.Final, value),
            }).OfType<PlotSeries>();
            Plots.Lines(Path.Combine(outDir, file), title, "update", yLabel,
                models.Select(m => new PlotSeries(Label(m), m.Learning.Curve.Dev.Select(p => (double)p.Step).ToList(), m.Learning.Curve.Dev.Select(value).ToList())), marks);
            yield return file;
        }
    }

    static PlotSeries? Mark(string label, ValidationRecord? point, Func<ValidationRecord, double> value) =>
        point is null ? null : new PlotSeries(label, [point.Step], [value(point)]);

    static string Label(ModelResults m) => $"α = {m.Training.Alpha.ToString("0.###", CultureInfo.InvariantCulture)}";

    static string Duration(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);

    static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    static string Signed(double value, string format) => F(value, $"+{format};−{format};{format}");

    static string WithInterval(double value, Interval ci, string format) => $"{Signed(value, format)} [{Signed(ci.Low, format)}, {Signed(ci.High, format)}]";

    static string Choice(TemperatureChoice c) =>
        $"T = {F(c.Temperature, "0.0#")} [{F(c.TemperatureCi.Low, "0.0#")}, {F(c.TemperatureCi.High, "0.0#")}] " +
        $"({string.Join(", ", c.Shares.Where(x => x.Share > 0).Select(x => $"{F(x.Temperature, "0.0#")}: {F(x.Share * 100, "0")} %"))})";

    static string Markdown(TranslationResults r, IReadOnlyList<string> curves, IReadOnlyList<string> plots)
    {
        var s = r.Setup;
        var md = new StringBuilder();
        md.AppendLine($"# Label smoothing and calibration in translation — `{s.Scale}` scale");
        md.AppendLine();
        md.AppendLine($"Two `{s.Preset}` transformers trained on the same data with the same seed and budget, α = 0 and α = {F(r.Models[^1].Training.Alpha, "0.###")}, " +
                      $"measured on {s.TestPairs:N0} test pairs. Beam {s.Beam}, GNMT length penalty {F(s.LengthPenalty, "0.0#")}, sacreBLEU-compatible BLEU (13a). " +
                      $"The models trained for {string.Join(" and ", r.Models.Select(m => Duration(m.Training.TrainSeconds)))} (each its own loop; side by side the times overlap) " +
                      $"and the measurements took {Duration(r.MeasurementSeconds)} (summed over every invocation that worked on this folder; this one took {Duration(r.InvocationSeconds)}).");
        md.AppendLine();
        md.AppendLine($"Regime: {s.Regime}. Precision: {s.Precision}.");
        md.AppendLine();
        md.AppendLine("## Learning curves");
        md.AppendLine();
        md.AppendLine("Finished learning = dev token accuracy gained less than 0.5 points over the last 25 % of updates. Every number below " +
                      "this section is measured on each model's **final** checkpoint (checkpoint.last), not at the dev-NLL minimum: the paper " +
                      "trains far past that minimum, and stopping there would hide the overconfidence label smoothing is meant to fix.");
        md.AppendLine();
        md.Append(ReportFiles.MarkdownTable(
            ["model", "precision", "updates", "epochs", "training time", "dev-NLL minimum", "final dev NLL", "final dev acc.", "acc. gain, last 25 %", "finished learning"],
            r.Models.Select(m =>
            {
                var l = m.Learning;
                return (IReadOnlyList<string>)[
                    Label(m), l.Precision, l.Updates.ToString("N0", CultureInfo.InvariantCulture), l.Epochs is { } e ? F(e, "F1") : "< 1",
                    Duration(l.Minutes * 60), l.NllMinimum is { } min ? $"{F(min.Nll, "F4")} at {min.Step:N0}" : "-",
                    l.Final is { } fin ? F(fin.Nll, "F4") : "-", l.Final is { } f2 ? F(f2.Accuracy * 100, "F2") + " %" : "-",
                    l.FinalGain is { } g ? F(g * 100, "+0.00;-0.00") + " points" : "-", l.Converged ? "**yes**" : "no"];
            })));
        md.AppendLine();
        md.AppendLine(string.Join(" ", curves.Select(png => $"![{Path.GetFileNameWithoutExtension(png)}]({png})")));
        md.AppendLine();
        md.AppendLine("## Results (test set, T = 1)");
        md.AppendLine();
        md.Append(ReportFiles.MarkdownTable(
            ["model", "steps", "BLEU", "BLEU (uncased)", "chrF", "NLL", "perplexity", "token acc.", "ECE", "T fitted on dev", "ECE at T", "BLEU at T"],
            r.Models.Select(m => (IReadOnlyList<string>)[
                Label(m), m.Training.Steps.ToString("N0", CultureInfo.InvariantCulture), F(m.Decode.Bleu.Score, "F2"), F(m.Decode.BleuUncased.Score, "F2"),
                F(m.Decode.ChrF.Score, "F2"), F(m.Test.Nll, "F4"), F(m.Test.Perplexity, "F2"), F(m.Test.Accuracy * 100, "F2") + " %", F(m.Test.Ece, "F4"),
                F(m.Fit.Temperature, "F3"), F(m.ScaledTest.Ece, "F4"), F(m.ScaledDecode.Bleu.Score, "F2")])));
        md.AppendLine();
        var sig = r.Significance;
        md.AppendLine($"Paired bootstrap ({sig.Samples} resamples): {sig.System} vs {sig.Baseline}: BLEU {F(sig.SystemBleu, "F2")} vs {F(sig.BaselineBleu, "F2")}, " +
                      $"μ = {F(sig.SystemMean, "F2")} ± {F(sig.ConfidenceInterval, "F2")} (95% CI), p = {F(sig.PValue, "F4")}" +
                      (sig.PValue < 0.05 ? " — significant at 0.05." : " — not significant at 0.05."));
        md.AppendLine();
        md.AppendLine($"Differences (after − before) on the same test sentences, with 95 % intervals from {r.Uncertainty.Samples:N0} paired bootstrap " +
                      $"resamples of the {s.TestPairs:N0} sentences (seed {r.Uncertainty.Seed}; BLEU on the same resamples as the p-value above):");
        md.AppendLine();
        md.Append(ReportFiles.MarkdownTable(["before → after", "BLEU", "ECE", "NLL"],
            new[] { r.Uncertainty.Smoothing }.Concat(r.Uncertainty.Models.Select(m => m.Scaling with { Before = $"{m.Name}, {m.Scaling.Before}", After = m.Scaling.After }))
                .Select(c => (IReadOnlyList<string>)[$"{c.Before} → {c.After}", WithInterval(c.BleuDifference, c.BleuDifferenceCi, "0.00"),
                    WithInterval(c.EceDifference, c.EceDifferenceCi, "0.0000"), WithInterval(c.NllDifference, c.NllDifferenceCi, "0.0000")])));
        md.AppendLine();
        md.AppendLine($"BLEU signature: `{r.Models[0].Decode.Bleu.Signature}`");
        md.AppendLine();
        md.AppendLine("## The paper's claims, judged from this run");
        md.AppendLine();
        if (r.Models.Any(m => !m.Learning.Converged))
        {
            md.AppendLine($"**Caution:** {string.Join(" and ", r.Models.Where(m => !m.Learning.Converged).Select(Label))} had not finished learning by the rule above; " +
                          "the paper's claims are about finished networks, so read these verdicts as provisional.");
            md.AppendLine();
        }
        Claims.AppendMarkdown(md, r.Claims, "paper (WMT EN-DE, transformer-base)");
        md.AppendLine();
        md.AppendLine("## Temperature sweep");
        md.AppendLine();
        md.Append(ReportFiles.MarkdownTable(["T", .. r.Models.SelectMany(m => new[] { $"BLEU {Label(m)}", $"NLL {Label(m)}", $"ECE {Label(m)}" })],
            r.Models[0].Sweep.Select((p, i) => (IReadOnlyList<string>)[F(p.Temperature, "0.0#"),
                .. r.Models.SelectMany(m => new[] { F(m.Sweep[i].Bleu, "F2"), F(m.Sweep[i].Nll, "F4"), F(m.Sweep[i].Ece, "F4") })])));
        md.AppendLine();
        md.AppendLine(s.SweepPairs == s.TestPairs
            ? "BLEU, NLL and ECE in the sweep are on the whole test set."
            : $"BLEU in the sweep is on {s.SweepPairs:N0} evenly spaced test sentences; NLL and ECE on the whole test set.");
        md.AppendLine();
        md.AppendLine("The best temperature by each measure, the 95 % interval of the temperatures the bootstrap resamples pick, " +
                      "and the share of resamples that pick each:");
        md.AppendLine();
        md.Append(ReportFiles.MarkdownTable(["model", "best BLEU", "lowest ECE", "lowest NLL"],
            r.Models.Zip(r.Uncertainty.Models, (m, u) => (IReadOnlyList<string>)[Label(m), Choice(u.BestBleu), Choice(u.LowestEce), Choice(u.LowestNll)])));
        md.AppendLine();
        foreach (var plot in plots) md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({plot})");
        md.AppendLine();
        md.AppendLine("## Setup");
        md.AppendLine();
        md.AppendLine($"- Command: `{s.Command}`");
        md.AppendLine($"- Data: train `{s.Train}` ({s.TrainPairs:N0} pairs used), dev `{s.Dev}` ({s.DevPairs:N0}), test `{s.Test}` ({s.TestPairs:N0}).");
        foreach (var m in r.Models)
            md.AppendLine($"- {Label(m)}: `{m.Training.Directory}`, {m.Training.Parameters:N0} parameters, {m.Training.Steps:N0} steps " +
                          $"(best dev NLL {F(m.Training.BestDevNll, "F4")} at step {m.Training.BestStep:N0}), {TimeSpan.FromSeconds(m.Training.TrainSeconds):h\\:mm\\:ss} of training.");
        md.AppendLine($"- Seed {s.Seed}; temperatures {string.Join(", ", s.Temperatures.Select(t => F(t, "0.0#")))}.");
        md.AppendLine($"- Machine: {s.Machine}.");
        md.AppendLine($"- Versions: {s.Versions}.");
        md.AppendLine("- Every step's result is cached under `steps/`; `done.jsonl` lists what was computed and how long it took. Rerunning the command reuses them.");
        return md.ToString();
    }
}
