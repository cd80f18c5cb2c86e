using LsTranslate.Cli.Reports;
using LsTranslate.Model.Analysis;

namespace LsTranslate.Cli.Tests.Vision;

public class PlotsTests
{
    static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [Fact]
    public void EachHelperWritesAPng()
    {
        var dir = Directory.CreateTempSubdirectory("plots-").FullName;
        try
        {
            var series = new[] { new PlotSeries("a", [1, 2, 3], [1, 4, 9]), new PlotSeries("b", [1, 2, 3], [2, 3, 4]) };
            Plots.Lines(Path.Combine(dir, "lines.png"), "t", "x", "y", series);
            Plots.Scatter(Path.Combine(dir, "scatter.png"), "t", "x", "y", series);
            Plots.Reliability(Path.Combine(dir, "rel.png"), "t",
                [new ReliabilityBin(0, 0.5, 0, double.NaN, double.NaN), new ReliabilityBin(0.5, 1, 4, 0.75, 0.8)], 0.05);
            foreach (var name in new[] { "lines.png", "scatter.png", "rel.png" }) AssertPng(Path.Combine(dir, name));
            // Written atomically: the three PNGs and nothing else (no temp file of any name is left behind).
            Assert.Equal(["lines.png", "rel.png", "scatter.png"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
