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
/// The paired tests against real sacreBLEU 2.6.0 (numpy 1.24): every JSON case of Reference/several-systems — 3 or 5
/// systems, BLEU, chrF2 and TER, 1 or 2 references, 200 or 1000 resamples, seeds 12345 and 7 — must give sacreBLEU's
/// score, mean, interval and p-value to the last bit (PairedBootstrap), or its score and p-value (PairedRandomization).
/// </summary>
public class PairedBootstrapAgainstSacreBleuTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Reference");
    static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "several-systems", "expected-several-systems.json")))
        .RootElement.GetProperty("cases");

    static string Located(string name) => File.Exists(Path.Combine(Folder, name)) ? Path.Combine(Folder, name) : Path.Combine(Folder, "several-systems", name);

    /// <summary>The JSON cases of one paired test (the text ones print the same numbers, rounded).</summary>
    static TheoryData<string> JsonCases(string test)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.EnumerateArray())
        {
            var args = c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
            if (args.Contains(test) && !args.Contains("text") && !args.Contains("-w") && c.GetProperty("exit_code").GetInt32() == 0)
                data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    public static TheoryData<string> BootstrapCases() => JsonCases("--paired-bs");
    public static TheoryData<string> RandomizationCases() => JsonCases("--paired-ar");

    [Fact]
    public void TheFixtureHasTheCasesItShould()
    {
        Assert.Equal(12, BootstrapCases().Count);
        Assert.Equal(3, RandomizationCases().Count);
    }

    static (References References, List<IReadOnlyList<string>> Systems, List<TextMetric> Metrics, int N, int Seed, List<JsonElement> Expected) Read(string name, string sizeOption, int defaultSize)
    {
        var c = Cases.EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var args = c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        int i = args.IndexOf("-i"), m = args.IndexOf("-m"), n = args.IndexOf(sizeOption);
        var references = new References(args.Take(i).Select(r => (IReadOnlyList<string>)LineFile.Read(Located(r))).ToList());
        // A baseline named twice is tested once, as sacreBLEU does.
        var systems = args.Skip(i + 1).TakeWhile(a => !a.StartsWith('-')).Distinct().Select(s => (IReadOnlyList<string>)LineFile.Read(Located(s))).ToList();
        var metrics = args.Skip(m + 1).TakeWhile(a => !a.StartsWith('-'))
            .Select(metric => metric switch { "bleu" => new Bleu(), "chrf" => new ChrF(), "ter" => (TextMetric)new Ter(), _ => throw new ArgumentException(metric) }).ToList();
        int seed = c.GetProperty("env").TryGetProperty("SACREBLEU_SEED", out var s) ? int.Parse(s.GetString()!) : BootstrapResamples.DefaultSeed;
        var expected = JsonDocument.Parse(c.GetProperty("stdout").GetString()!).RootElement.EnumerateArray().ToList();
        int size = n < 0 ? 0 : int.Parse(args[n + 1]);
        return (references, systems, metrics, size > 0 ? size : defaultSize, seed, expected); // 0: the test's default, as in sacreBLEU
    }

    static double? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();

    [Theory]
    [MemberData(nameof(RandomizationCases))]
    public void RandomizationGivesSacreBleusPValues(string name)
    {
        var (references, systems, metrics, trials, seed, expected) = Read(name, "--paired-ar-n", PairedRandomization.DefaultTrials);
        foreach (var metric in metrics)
        {
            var results = PairedRandomization.Compare(metric, systems, metric.Prepare(references), trials, seed);
            for (int k = 0; k < systems.Count; k++)
            {
                var want = expected[k].GetProperty(results[k].Score.Name);
                Assert.Equal(want.GetProperty("score").GetDouble(), results[k].Score.Score);
                Assert.True(Nullable(want.GetProperty("p_value")) == results[k].PValue, $"{name} {results[k].Score.Name} system {k}: p {results[k].PValue:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(BootstrapCases))]
    public void GivesSacreBleusNumbersToTheLastBit(string name)
    {
        var (references, systems, metrics, samples, seed, expected) = Read(name, "--paired-bs-n", BootstrapResamples.DefaultSamples);
        foreach (var metric in metrics)
        {
            var results = PairedBootstrap.Compare(metric, systems, references, samples, seed);
            for (int k = 0; k < systems.Count; k++)
            {
                var want = expected[k].GetProperty(results[k].Score.Name);
                string where = $"{name} {results[k].Score.Name} system {k}";
                Assert.True(want.GetProperty("score").GetDouble() == results[k].Score.Score, $"{where}: score {results[k].Score.Score:R}");
                Assert.True(want.GetProperty("mean").GetDouble() == results[k].Mean, $"{where}: mean {results[k].Mean:R} against {want.GetProperty("mean").GetDouble():R}");
                Assert.True(want.GetProperty("ci").GetDouble() == results[k].ConfidenceInterval, $"{where}: ci {results[k].ConfidenceInterval:R} against {want.GetProperty("ci").GetDouble():R}");
                double? p = Nullable(want.GetProperty("p_value"));
                Assert.True(p == results[k].PValue, $"{where}: p {results[k].PValue:R} against {p:R}");
            }
        }
    }
}
