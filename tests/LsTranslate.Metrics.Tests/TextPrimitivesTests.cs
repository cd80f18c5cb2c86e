using LsTranslate.Metrics;
using LsTranslate.Metrics.Tokenizers;

namespace LsTranslate.Metrics.Tests;

/// <summary>Tokenizers, Python string behaviour and number formatting, with values worked out by hand from sacreBLEU's rules.</summary>
public class TextPrimitivesTests
{
    [Theory]
    [InlineData("13a", " Hello, world. It's 3.14 and 1-2 (x)", "Hello , world . It's 3.14 and 1 - 2 ( x )")]
    [InlineData("13a", "a &amp; b &lt;c&gt;", "a & b < c >")]
    [InlineData("13a", "a..5", "a . .5")]
    [InlineData("intl", "end. 1,000 in 2000.", "end . 1,000 in 2000.")]
    [InlineData("intl", "a\U0001D11Eb x\U00010100y", "a \U0001D11E b x \U00010100 y")]
    [InlineData("char", "a\U0001D11E b", "a \U0001D11E b")]
    [InlineData("none", "  a,b   c ", "a,b c")]
    public void TokenizersFollowSacreBleuRules(string name, string line, string expected) =>
        Assert.Equal(expected, BleuTokenizer.Create(name).Tokenize(line));

    [Fact]
    public void UnknownTokenizerNamesTheAllowedOnes()
    {
        var error = Assert.Throws<InputError>(() => BleuTokenizer.Create("moses"));
        Assert.Contains("13a, intl, char, none", error.Message);
    }

    [Theory]
    [InlineData("ΟΔΟΣ ΟΔΟΣ.", "οδος οδος.")]
    [InlineData("İ", "i\u0307")]
    [InlineData("ÄÖÜ Straße", "äöü straße")]
    [InlineData("\U00010400", "\U00010428")]
    public void LowerMatchesPython(string text, string expected) => Assert.Equal(expected, PythonText.Lower(text));

    [Fact]
    public void SplitUsesPythonWhitespace()
    {
        var words = new List<(int, int)>();
        PythonText.Split("a\u001fb\u3000c\u200bd", words);
        Assert.Equal([(0, 1), (2, 1), (4, 3)], words);
    }

    [Theory]
    [InlineData(6.25, 1, "6.2")]
    [InlineData(6.75, 1, "6.8")]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(53.711982, 2, "53.71")]
    [InlineData(99.999, 2, "100.00")]
    [InlineData(2.5, 0, "2")]
    public void FixedRoundsHalfToEvenLikePython(double value, int decimals, string expected) =>
        Assert.Equal(expected, PythonFormat.Fixed(value, decimals));

    [Fact]
    public void EmptyFileAndInvalidUtf8AreInputErrors()
    {
        Assert.Contains("empty", Assert.Throws<InputError>(() => LineFile.Parse([], "x.txt")).Message);
        Assert.Equal("x.txt:2: invalid UTF-8", Assert.Throws<InputError>(() => LineFile.Parse("ok\n\xff\n"u8.ToArray().Select((b, i) => i == 3 ? (byte)0xff : b).ToArray(), "x.txt")).Message);
        Assert.Equal(["a", "", "b", "c"], LineFile.Parse("a\r\n\rb\nc"u8, "x.txt"));
    }
}
