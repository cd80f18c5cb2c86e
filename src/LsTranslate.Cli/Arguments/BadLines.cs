using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Cli.Output;

namespace LsTranslate.Cli.Arguments;

/// <summary>
/// `decode --on-bad-line`: what a line of invalid UTF-8 becomes. stop ends the run with its line number; skip and copy
/// translate it as an empty line, and copy then prints the line itself (bad bytes as U+FFFD) in its place. The first
/// few line numbers are kept for the report.
/// </summary>
sealed class BadLines(string policy)
{
    public const string Stop = "stop";
    public const string Skip = "skip";
    public const string Copy = "copy";

    readonly Dictionary<long, string> toCopy = [];
    readonly List<long> first = [];

    public long Count { get; private set; }

    /// <summary>What <see cref="Model.Corpora.TextLines.Read"/> is told to do with a bad line (null: stop there).</summary>
    public Func<long, string, string>? Handler(string inputName, DecodeShard? shard)
    {
        Func<long, string, string>? kept = policy == Stop ? null : (lineNumber, text) =>
        {
            if (Count++ < 10) first.Add(lineNumber);
            if (policy == Copy) toCopy[lineNumber - 1] = text;
            return "";
        };
        // A shard reads every line but answers only for its own: another shard's bad line is none of its business.
        if (shard is null) return kept;
        return (number, text) => !shard.Takes(number - 1) ? ""
            : kept is not null ? kept(number, text) : throw InputError.At(inputName, number, "invalid UTF-8");
    }

    /// <summary>The line as printed: with copy, a bad line's own text in place of its (empty) translation.</summary>
    public TranslatedLine Copied(TranslatedLine line) =>
        toCopy.Remove(line.Index, out var text) ? line with { NBest = [new TranslatedHypothesis(text, [], 0)] } : line;

    /// <summary>"skipped 1 line of invalid UTF-8: line 4" for stderr, or null when every line was good.</summary>
    public string? Report() => Count == 0 ? null
        : $"{(policy == Copy ? "copied" : "skipped")} {LineCount.Of(Count)} of invalid UTF-8: {LineCount.List(first, Count)}";
}
