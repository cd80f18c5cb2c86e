using LsTranslate.Metrics;

namespace LsTranslate.Metrics.Tests;

/// <summary>
/// BLEU's smoothing methods where they differ: hypotheses with no matching 3- or 4-grams. sacreBLEU's recorded corpus
/// (expected.json) has matches at every order, so there none, floor and exp all give 53.711982; these expectations
/// are worked out by hand from sacreBLEU 2.x's compute_bleu: a precision p_n = 100·correct/total; where correct is 0,
/// exp takes 100 / (2^k·total) for the k-th such order, floor takes 100·value/total, none leaves 0, whose log is
/// −9999999999 (the score is 0); add-k adds k to correct and total of orders 2..4; BLEU = BP·(p1·p2·p3·p4)^(1/4).
/// </summary>
public class BleuSmoothingTests
{
    // 5 tokens each. Matches: 1-grams a b d e (4/5), 2-grams "a b", "d e" (2/4), 3-grams 0/3, 4-grams 0/2; BP = 1.
    const string Hyp1 = "a b c d e", Ref1 = "a b x d e";
    // 6 tokens against 8. Matches: 5/6, "a b" "b c" "e f" 3/5, "a b c" 1/4, 4-grams 0/3; BP = exp(1 − 8/6).
    const string Hyp2 = "a b c d e f", Ref2 = "a b c x e f g h";

    static BleuScore Score(string method, double? value, params (string Hyp, string Ref)[] lines) =>
        Bleu.CorpusScore(lines.Select(l => l.Hyp).ToArray(), [lines.Select(l => l.Ref).ToArray()],
            new BleuOptions { SmoothMethod = method, SmoothValue = value });

    [Theory]
    [InlineData("none", null, 0.0)]
    [InlineData("floor", null, 16.068568378893033)]   // (80 · 50 · 10/3 · 10/2)^¼: floor's default value is 0.1
    [InlineData("floor", 0.5, 35.93041119630842)]     // (80 · 50 · 50/3 · 50/2)^¼
    [InlineData("exp", null, 30.21375397356768)]      // (80 · 50 · 100/(2·3) · 100/(4·2))^¼
    [InlineData("add-k", null, 44.721359549995796)]   // (80 · 3/5·100 · 1/4·100 · 1/3·100)^¼ = 4,000,000^¼
    public void NoThreeOrFourGramMatches(string method, double? value, double expected)
    {
        var score = Score(method, value, (Hyp1, Ref1));
        Assert.Equal(expected, score.Score, 9);
        // sacreBLEU adds k to the counts it reports as well (compute_bleu changes its lists in place).
        Assert.Equal(method == "add-k" ? [4.0, 3, 1, 1] : [4.0, 2, 0, 0], score.Counts.Take(4));
        Assert.Equal(1.0, score.BrevityPenalty);
    }

    [Theory]
    [InlineData("none", null, 0.0)]
    [InlineData("floor", null, 18.204651199034366)]   // e^(−1/3) · (500/6 · 60 · 25 · 10/3)^¼
    [InlineData("exp", null, 27.22230298303347)]      // e^(−1/3) · (500/6 · 60 · 25 · 100/(2·3))^¼: the first zero order halves once
    public void NoFourGramMatchesAndAShortHypothesis(string method, double? value, double expected)
    {
        var score = Score(method, value, (Hyp2, Ref2));
        Assert.Equal(expected, score.Score, 9);
        Assert.Equal(0.7165313105737893, score.BrevityPenalty, 12);
    }

    /// <summary>Both lines at once: the statistics add up (9/11, 5/9, 1/7, 0/5; 11 against 13 tokens) before smoothing.</summary>
    [Theory]
    [InlineData("none", null, 0.0)]
    [InlineData("floor", null, 15.827586133834926)]   // e^(1 − 13/11) · (900/11 · 500/9 · 100/7 · 10/5)^¼
    [InlineData("exp", null, 23.667761634903943)]     // e^(1 − 13/11) · (900/11 · 500/9 · 100/7 · 100/(2·5))^¼
    public void SmoothingActsOnTheCorpusTotals(string method, double? value, double expected)
    {
        var score = Score(method, value, (Hyp1, Ref1), (Hyp2, Ref2));
        Assert.Equal(expected, score.Score, 9);
        Assert.Equal([9.0, 5, 1, 0], score.Counts.Take(4));
        Assert.Equal([11.0, 9, 7, 5], score.Totals.Take(4));
    }
}
