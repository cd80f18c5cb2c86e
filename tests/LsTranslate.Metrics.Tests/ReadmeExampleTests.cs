namespace LsTranslate.Metrics.Tests;

/// <summary>The README's C# example of the metrics package prints what the README says.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void APerfectHypothesisScoresOneHundredWithSacreBleusSignature()
    {
        var bleu = new Bleu().Corpus(["The cat sat on the mat."], [["The cat sat on the mat."]]);
        Assert.Equal("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:lstranslate-0.1 = 100.00 100.0/100.0/100.0/100.0 " +
                     "(BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)", bleu.WithSignature());
    }
}
