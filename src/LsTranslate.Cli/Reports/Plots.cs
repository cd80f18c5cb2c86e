using LsTranslate.Model.Analysis;
using ScottPlot;

namespace LsTranslate.Cli.Reports;

/// <summary>One named series of points for a plot.</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// Small PNG plot helpers shared by the reports (ScottPlot 5, headless). Each writes its file atomically.
/// </summary>
public static class Plots
{
    public const int Width = 640;
    public const int Height = 480;

    /// <summary>
    /// Lines with markers, one per series, with a legend (learning curves, BLEU against beam size…);
    /// <paramref name="marks"/> are single points drawn large on top (a curve's minimum, its final point).
    /// </summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series, IEnumerable<PlotSeries>? marks = null)
    {
        var plot = Start(title, xLabel, yLabel);
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Label;
        }
        foreach (var m in marks ?? [])
        {
            var points = plot.Add.ScatterPoints(m.X.ToArray(), m.Y.ToArray());
            points.LegendText = m.Label;
            points.MarkerSize = 11;
        }
        Save(plot, path, legend: true);
    }

    /// <summary>Points only, one colour per group, with a legend (penultimate-layer projections).</summary>
    public static void Scatter(string path, string title, string xLabel, string yLabel, IEnumerable<PlotSeries> groups)
    {
        var plot = Start(title, xLabel, yLabel);
        foreach (var g in groups)
        {
            var points = plot.Add.ScatterPoints(g.X.ToArray(), g.Y.ToArray());
            points.LegendText = g.Label;
            points.MarkerSize = 4;
        }
        Save(plot, path, legend: true);
    }

    /// <summary>
    /// Reliability diagram: per-bin accuracy as bars over confidence, the diagonal of perfect calibration,
    /// and the ECE in the title. Empty bins are left out.
    /// </summary>
    public static void Reliability(string path, string title, IReadOnlyList<ReliabilityBin> bins, double ece)
    {
        var plot = Start($"{title} (ECE {ece:0.0000})", "confidence", "accuracy");
        var bars = bins.Where(b => b.Count > 0).Select(b => new Bar
        {
            Position = (b.Lower + b.Upper) / 2,
            Value = b.Accuracy,
            Size = (b.Upper - b.Lower) * 0.95,
        }).ToList();
        plot.Add.Bars(bars);
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        plot.Axes.SetLimits(0, 1, 0, 1);
        Save(plot, path, legend: false);
    }

    static Plot Start(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    static void Save(Plot plot, string path, bool legend)
    {
        // Below the axes, where it cannot cover data points.
        if (legend) plot.ShowLegend(Edge.Bottom);
        var png = plot.GetImage(Width, Height).GetImageBytes(ImageFormat.Png, 100);
        LsTranslate.Model.IO.AtomicFile.Write(path, stream => stream.Write(png));
    }
}
