using System.Text.Json;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests;

public class ScoreCommandTests : TempFolderTest
{
    string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(["score", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void PrintsSacreBleuTextLinesWithSignatures()
    {
        var hyp = Write("h", "the cat sat on the mat\nhello world\n");
        var reference = Write("r", "the cat sat on the mat\nhello there world\n");
        var (code, output, _) = Run("--hyp", hyp, "--ref", reference, "--metrics", "bleu,chrf,ter");
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(0, code);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:lstranslate-0.1 = ", lines[0]);
        Assert.Contains("hyp_len = 8 ref_len = 9", lines[0]);
        Assert.StartsWith("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:", lines[1]);
        Assert.StartsWith("TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:", lines[2]);
        Assert.EndsWith("= 11.11", lines[2]); // one insertion over nine reference words
    }

    [Fact]
    public void WidthSetsTheDecimalsOfTheScore()
    {
        var hyp = Write("h", "the cat sat on the mat\nhello world\n");
        var reference = Write("r", "the cat sat on the mat\nhello there world\n");
        Assert.EndsWith("= 11.1111", Run("--hyp", hyp, "--ref", reference, "--metrics", "ter", "--width", "4").Out.TrimEnd());
        Assert.EndsWith("= 11", Run("--hyp", hyp, "--ref", reference, "--metrics", "ter", "-w", "0").Out.TrimEnd());
    }

    [Fact]
    public void JsonIsAnArrayOfNameScoreSignatureText()
    {
        var hyp = Write("h", "a b c d\n");
        var reference = Write("r", "a b c d\n");
        var (code, output, _) = Run("--hyp", hyp, "--ref", reference, "--ref", reference, "--metrics", "bleu,chrf",
            "--chrf-word-order", "2", "--format", "json");
        Assert.Equal(0, code);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["BLEU", "chrF2++"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.All(rows, r => Assert.Equal(100.0, r.GetProperty("score").GetDouble()));
        Assert.StartsWith("nrefs:2|", rows[0].GetProperty("signature").GetString());
        Assert.Equal("chrF2++ = 100.00", rows[1].GetProperty("text").GetString());
    }

    [Fact]
    public void PairedBootstrapReportsBaselineAndPValue()
    {
        var reference = Write("r", string.Join('\n', Enumerable.Range(0, 40).Select(i => $"sentence {i} has some words in it")) + "\n");
        var weak = Write("weak", string.Join('\n', Enumerable.Range(0, 40).Select(i => $"phrase {i} with few words")) + "\n");
        var strong = Write("strong", string.Join('\n', Enumerable.Range(0, 40).Select(i => $"sentence {i} has some words")) + "\n");
        var (code, output, _) = Run("--hyp", weak, "--hyp", strong, "--ref", reference, "--paired-bs", "--paired-bs-n", "100");
        Assert.Equal(0, code);
        Assert.Contains("(baseline)", output);
        Assert.Contains("p = 0.0099 *", output);
    }

    [Fact]
    public void LineCountMismatchNamesBothFilesAndCounts()
    {
        var hyp = Write("h", "a\nb\n");
        var reference = Write("r", "a\nb\nc\n");
        var (code, output, error) = Run("--hyp", hyp, "--ref", reference);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"lstranslate: error: {hyp} has 2 lines but {reference} has 3", error.TrimEnd());
    }

    [Theory]
    [InlineData("--tokenize", "moses", "unknown tokenizer 'moses' (allowed: 13a, intl, char, none)")]
    [InlineData("--metrics", "bleu,meteor", "unknown metric 'meteor' (allowed: bleu, chrf, ter)")]
    [InlineData("--smooth-method", "lin", "unknown smooth method 'lin' (allowed: exp, floor, add-k, none)")]
    public void UnknownValuesNameTheAllowedOnes(string option, string value, string message)
    {
        var file = Write("f", "a\n");
        var (code, _, error) = Run("--hyp", file, "--ref", file, option, value);
        Assert.Equal(2, code);
        Assert.Equal($"lstranslate: error: {message}", error.TrimEnd());
    }

    [Fact]
    public void BadFilesGiveOneErrorLine()
    {
        var good = Write("good", "a\nb\n");
        var empty = Write("empty", "");
        var bad = Path.Combine(Root, "bad");
        File.WriteAllBytes(bad, [(byte)'a', (byte)'\n', 0xC3, 0x28, (byte)'\n']);

        Assert.Equal($"lstranslate: error: {bad}:2: invalid UTF-8", Run("--hyp", bad, "--ref", good).Err.TrimEnd());
        Assert.Equal($"lstranslate: error: {empty}: file is empty", Run("--hyp", empty, "--ref", good).Err.TrimEnd());
        var missing = Run("--hyp", Path.Combine(Root, "missing"), "--ref", good);
        Assert.Equal(2, missing.Code);
        Assert.Contains("missing: no such file", missing.Err);
    }
}
