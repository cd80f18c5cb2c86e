using LsTranslate.Metrics;

namespace LsTranslate.Metrics.Tests;

public class PairedBootstrapTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Reference");
    static readonly string[] Hyp = LineFile.Read(Path.Combine(Folder, "hyp.txt"))[..300];
    static readonly string[] Ref = LineFile.Read(Path.Combine(Folder, "ref.txt"))[..300];

    [Fact]
    public void ClearlyBetterSystemIsSignificantAndResultsAreReproducible()
    {
        // The reference itself (with one word dropped per line) is far better than the hypotheses.
        var better = Ref.Select(r => string.Join(' ', r.Split(' ').Skip(1))).ToArray();
        var references = new References([Ref]);
        var first = PairedBootstrap.Compare(new Bleu(), [Hyp, better], references, samples: 200);
        var again = PairedBootstrap.Compare(new Bleu(), [Hyp, better], references, samples: 200);

        Assert.Null(first[0].PValue);
        Assert.Equal(new Bleu().Corpus(Hyp, references).Score, first[0].Score.Score, 1e-9);
        Assert.True(first[1].Score.Score > first[0].Score.Score);
        Assert.Equal(1.0 / 201, first[1].PValue!.Value, 1e-12);
        Assert.InRange(first[0].Mean, first[0].Score.Score - 3 * first[0].ConfidenceInterval, first[0].Score.Score + 3 * first[0].ConfidenceInterval);
        Assert.True(first[0].ConfidenceInterval > 0);
        Assert.Equal(first.Select(r => (r.Mean, r.ConfidenceInterval, r.PValue)), again.Select(r => (r.Mean, r.ConfidenceInterval, r.PValue)));
    }

    [Fact]
    public void NearlyIdenticalSystemIsNotSignificant()
    {
        var almost = Hyp.Select((h, i) => i == 0 ? h + " extra" : h).ToArray();
        var results = PairedBootstrap.Compare(new ChrF(), [Hyp, almost], new References([Ref]), samples: 200);
        Assert.True(results[1].PValue > 0.05);
    }
}
