using System.Text.RegularExpressions;
using LsTranslate.Metrics;
using LsTranslate.Tests;

namespace LsTranslate.Metrics.Tests;

/// <summary>
/// The README's C# example of the metrics package, read from README.md itself: the sentences its code scores are
/// scored here the same way, and the line its comment says is printed must be the line printed. An edit to either the
/// example or the library that makes them disagree fails this test.
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TheReadmesBleuExamplePrintsWhatItsCommentSays()
    {
        var example = MetricsExample();
        var call = Regex.Match(example, @"new Bleu\(\)\.Corpus\((?<args>.*)\);");
        Assert.True(call.Success, "the README's metrics example no longer calls new Bleu().Corpus(hypotheses, references)");
        var (hypotheses, references) = CollectionArguments(call.Groups["args"].Value);
        var printed = Regex.Match(example, @"Console\.WriteLine\(bleu\.WithSignature\(\)\);\s*\n// (?<line>.+)");
        Assert.True(printed.Success, "the README's metrics example no longer shows the line it prints after Console.WriteLine(bleu.WithSignature())");

        var bleu = new Bleu().Corpus(hypotheses, references);

        Assert.Equal(printed.Groups["line"].Value.Trim(), bleu.WithSignature());
    }

    /// <summary>The ```csharp block of README.md that uses LsTranslate.Metrics.</summary>
    static string MetricsExample()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md"));
        var blocks = Regex.Matches(readme, @"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups["code"].Value)
            .Where(code => code.Contains("using LsTranslate.Metrics;"))
            .ToList();
        return Assert.Single(blocks);
    }

    /// <summary>Two C# collection expressions of string literals, "[a, b], [[c, d]]": the hypotheses and the reference streams.</summary>
    static (List<string> Hypotheses, List<List<string>> References) CollectionArguments(string text)
    {
        int at = 0;
        var hypotheses = (List<object>)Parse(text, ref at);
        Skip(text, ref at, ',');
        var references = (List<object>)Parse(text, ref at);
        Assert.Equal(text.Length, at);
        return (hypotheses.Cast<string>().ToList(), references.Select(stream => ((List<object>)stream).Cast<string>().ToList()).ToList());
    }

    static object Parse(string text, ref int at)
    {
        SkipSpace(text, ref at);
        if (text[at] == '"')
        {
            var literal = Regex.Match(text[at..], @"^""(?<s>(?:[^""\\]|\\.)*)""");
            at += literal.Length;
            return Regex.Unescape(literal.Groups["s"].Value);
        }
        Skip(text, ref at, '[');
        var items = new List<object>();
        SkipSpace(text, ref at);
        while (text[at] != ']')
        {
            items.Add(Parse(text, ref at));
            SkipSpace(text, ref at);
            if (text[at] == ',') at++;
            SkipSpace(text, ref at);
        }
        at++;
        SkipSpace(text, ref at);
        return items;
    }

    static void Skip(string text, ref int at, char expected)
    {
        SkipSpace(text, ref at);
        Assert.Equal(expected, text[at]);
        at++;
    }

    static void SkipSpace(string text, ref int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
    }
}
