using System.Text.Json;
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

/// <summary>
/// PairedBootstrap against real sacreBLEU 2.6.0 (numpy 1.24): every JSON case of Reference/paired-bootstrap — 3 or 5
/// systems, BLEU, chrF2 and TER, 1 or 2 references, 200 or 1000 resamples, seeds 12345 and 7 — must give sacreBLEU's
/// score, mean, interval and p-value to the last bit.
/// </summary>
public class PairedBootstrapAgainstSacreBleuTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Reference");
    static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "paired-bootstrap", "expected-paired-bs.json")))
        .RootElement.GetProperty("cases");

    static string Located(string name) => File.Exists(Path.Combine(Folder, name)) ? Path.Combine(Folder, name) : Path.Combine(Folder, "paired-bootstrap", name);

    public static TheoryData<string> JsonCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.EnumerateArray())
            if (!c.GetProperty("args").EnumerateArray().Any(a => a.GetString() is "text" or "-w")) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Fact]
    public void TheFixtureHasTheCasesItShould() => Assert.Equal(11, JsonCases().Count);

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void GivesSacreBleusNumbersToTheLastBit(string name)
    {
        var c = Cases.EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var args = c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        int i = args.IndexOf("-i"), m = args.IndexOf("-m"), n = args.IndexOf("--paired-bs-n");
        var references = new References(args.Take(i).Select(r => (IReadOnlyList<string>)LineFile.Read(Located(r))).ToList());
        var systems = args.Skip(i + 1).TakeWhile(a => !a.StartsWith('-')).Select(s => (IReadOnlyList<string>)LineFile.Read(Located(s))).ToList();
        var metrics = args.Skip(m + 1).TakeWhile(a => !a.StartsWith('-')).ToList();
        int samples = n < 0 ? BootstrapResamples.DefaultSamples : int.Parse(args[n + 1]);
        int seed = c.GetProperty("env").TryGetProperty("SACREBLEU_SEED", out var s) ? int.Parse(s.GetString()!) : BootstrapResamples.DefaultSeed;
        var expected = JsonDocument.Parse(c.GetProperty("stdout").GetString()!).RootElement.EnumerateArray().ToList();

        foreach (var metricName in metrics)
        {
            TextMetric metric = metricName switch { "bleu" => new Bleu(), "chrf" => new ChrF(), "ter" => new Ter(), _ => throw new ArgumentException(metricName) };
            var results = PairedBootstrap.Compare(metric, systems, references, samples, seed);
            for (int k = 0; k < systems.Count; k++)
            {
                var want = expected[k].GetProperty(results[k].Score.Name);
                string where = $"{name} {results[k].Score.Name} system {k}";
                Assert.True(want.GetProperty("score").GetDouble() == results[k].Score.Score, $"{where}: score {results[k].Score.Score:R}");
                Assert.True(want.GetProperty("mean").GetDouble() == results[k].Mean, $"{where}: mean {results[k].Mean:R} against {want.GetProperty("mean").GetDouble():R}");
                Assert.True(want.GetProperty("ci").GetDouble() == results[k].ConfidenceInterval, $"{where}: ci {results[k].ConfidenceInterval:R} against {want.GetProperty("ci").GetDouble():R}");
                double? p = want.GetProperty("p_value").ValueKind == JsonValueKind.Null ? null : want.GetProperty("p_value").GetDouble();
                Assert.True(p == results[k].PValue, $"{where}: p {results[k].PValue:R} against {p:R}");
            }
        }
    }
}
