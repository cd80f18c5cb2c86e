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
        // Corpus([hypotheses...], [[one reference stream...], ...]): string literals only.
        var call = Regex.Match(example, @"new Bleu\(\)\.Corpus\(\[(?<hypotheses>[^\[\]]*)\], \[(?<streams>(\[[^\[\]]*\](, )?)+)\]\);");
        Assert.True(call.Success, "the README's metrics example no longer calls new Bleu().Corpus([hypotheses], [[references]])");
        var hypotheses = Literals(call.Groups["hypotheses"].Value);
        var references = Regex.Matches(call.Groups["streams"].Value, @"\[(?<stream>[^\[\]]*)\]").Select(m => Literals(m.Groups["stream"].Value)).ToList();
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

    /// <summary>The C# string literals in <paramref name="text"/>, unescaped.</summary>
    static List<string> Literals(string text) =>
        [.. Regex.Matches(text, @"""(?<s>(?:[^""\\]|\\.)*)""").Select(m => Regex.Unescape(m.Groups["s"].Value))];
}
