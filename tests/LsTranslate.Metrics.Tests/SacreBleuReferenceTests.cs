using System.Text.Json;
using LsTranslate.Metrics;

namespace LsTranslate.Metrics.Tests;

/// <summary>
/// Every case in Reference/expected.json, which holds what sacreBLEU 2.6.0 printed on the files beside
/// it: the score to 1e-4, and the text and signature exactly (apart from the version field).
/// </summary>
public class SacreBleuReferenceTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Reference");
    static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json"))).RootElement;
    static readonly string[] Hypotheses = Lines("hyp.txt");

    static string[] Lines(string name) => LineFile.Read(Path.Combine(Folder, name));

    public static TheoryData<string> CorpusCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Expected.GetProperty("corpus").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Fact]
    public void ReferenceFileHasTwelveCorpusCases() => Assert.Equal(12, CorpusCases().Count);

    [Theory]
    [MemberData(nameof(CorpusCases))]
    public void CorpusScoreEqualsSacreBleu(string name)
    {
        var c = Expected.GetProperty("corpus").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var args = c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        var refs = c.GetProperty("refs").EnumerateArray().Select(r => (IReadOnlyList<string>)Lines(r.GetString()!)).ToArray();

        var score = MetricFor(args).Corpus(Hypotheses, refs);

        Assert.Equal(c.GetProperty("score").GetDouble(), score.Score, 1e-4);
        Assert.Equal(c.GetProperty("text").GetString(), score.Text);
        Assert.Equal(WithoutVersion(c.GetProperty("signature").GetString()!), WithoutVersion(score.Signature.ToString()));
        Assert.EndsWith("|version:" + MetricSignature.Version, score.Signature.ToString());
    }

    [Fact]
    public void SentenceBleuOfFirstFiftyLinesEqualsSacreBleu()
    {
        var expected = Expected.GetProperty("sentence_bleu_first50").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var references = Lines("ref.txt");
        Assert.Equal(50, expected.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], Bleu.SentenceScore(Hypotheses[i], [references[i]]).Score, 1e-4);
    }

    static TextMetric MetricFor(List<string> args)
    {
        string Value(string option) => args[args.IndexOf(option) + 1];
        string metric = args.Contains("--metrics") ? Value("--metrics") : "bleu";
        return metric switch
        {
            "bleu" => new Bleu(new BleuOptions
            {
                Lowercase = args.Contains("-lc"),
                Tokenize = args.Contains("--tokenize") ? Value("--tokenize") : "13a",
                SmoothMethod = args.Contains("--smooth-method") ? Value("--smooth-method") : "exp",
                SmoothValue = args.Contains("--smooth-value") ? double.Parse(Value("--smooth-value")) : null,
            }),
            "chrf" => new ChrF(new ChrFOptions { WordOrder = args.Contains("--chrf-word-order") ? int.Parse(Value("--chrf-word-order")) : 0 }),
            "ter" => new Ter(),
            _ => throw new ArgumentException(metric),
        };
    }

    static string WithoutVersion(string signature) =>
        string.Join('|', signature.Split('|').Where(f => !f.StartsWith("version:")));
}
