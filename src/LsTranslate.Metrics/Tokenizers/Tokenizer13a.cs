using System.Buffers;

namespace LsTranslate.Metrics.Tokenizers;

/// <summary>
/// sacreBLEU's default "13a" tokenizer (mteval-v13a.pl): unescape a few XML entities, then four regex
/// substitutions. Each substitution is a left-to-right, non-overlapping scan over one or two
/// characters, which is what Python's re.sub does with these patterns; we run the scans directly.
/// </summary>
public sealed class Tokenizer13a : BleuTokenizer
{
    [ThreadStatic] static CharBuffer? _scratch;

    public override string Name => "13a";

    public override void Tokenize(ReadOnlySpan<char> line, CharBuffer output)
    {
        var scratch = _scratch ??= new CharBuffer();
        if (line.ContainsAny('<', '&', '\n')) line = Unescape(line.ToString());

        // " {line} " with every character of [{-~[-` -&(-+:-@/] set apart by spaces.
        scratch.Clear();
        scratch.Append(' ');
        while (!line.IsEmpty)
        {
            int next = line.IndexOfAny(SetApart);
            if (next < 0) { scratch.Append(line); break; }
            scratch.Append(line[..next]);
            scratch.Append(' '); scratch.Append(line[next]); scratch.Append(' ');
            line = line[(next + 1)..];
        }
        scratch.Append(' ');

        Substitute<PeriodOrCommaAfterNonDigit>(scratch.Span, output);
        Substitute<PeriodOrCommaBeforeNonDigit>(output.Span, scratch);
        Substitute<DashAfterDigit>(scratch.Span, output);
    }

    /// <summary>A two-character regex of the 13a tokenizer and where its replacement puts spaces.</summary>
    interface IPairPattern
    {
        static abstract bool Matches(char first, char second);
        static abstract bool SpaceBefore { get; }
        /// <summary>Characters a match must have at <see cref="AnchorOffset"/>, searched for in bulk.</summary>
        static abstract SearchValues<char> Anchors { get; }
        static abstract int AnchorOffset { get; }
    }

    /// <summary>([^0-9])([\.,]) → "\1 \2 "</summary>
    struct PeriodOrCommaAfterNonDigit : IPairPattern
    {
        public static bool Matches(char first, char second) => !IsDigit(first) && IsPeriodOrComma(second);
        public static bool SpaceBefore => false;
        public static SearchValues<char> Anchors => PeriodOrComma;
        public static int AnchorOffset => 1;
    }

    /// <summary>([\.,])([^0-9]) → " \1 \2"</summary>
    struct PeriodOrCommaBeforeNonDigit : IPairPattern
    {
        public static bool Matches(char first, char second) => IsPeriodOrComma(first) && !IsDigit(second);
        public static bool SpaceBefore => true;
        public static SearchValues<char> Anchors => PeriodOrComma;
        public static int AnchorOffset => 0;
    }

    /// <summary>([0-9])(-) → "\1 \2 "</summary>
    struct DashAfterDigit : IPairPattern
    {
        public static bool Matches(char first, char second) => IsDigit(first) && second == '-';
        public static bool SpaceBefore => false;
        public static SearchValues<char> Anchors => Dash;
        public static int AnchorOffset => 1;
    }

    static ReadOnlySpan<char> Unescape(string line) => line
        .Replace("<skipped>", "", StringComparison.Ordinal)
        .Replace("-\n", "", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal)
        .Replace("&quot;", "\"", StringComparison.Ordinal)
        .Replace("&amp;", "&", StringComparison.Ordinal)
        .Replace("&lt;", "<", StringComparison.Ordinal)
        .Replace("&gt;", ">", StringComparison.Ordinal);

    /// <summary>
    /// One re.sub of a two-character pattern: a match becomes "a b " (or " a b" when the pattern puts
    /// the space before), and scanning resumes after the match.
    /// </summary>
    static void Substitute<TPattern>(ReadOnlySpan<char> input, CharBuffer output) where TPattern : struct, IPairPattern
    {
        bool spaceBefore = TPattern.SpaceBefore;
        int offset = TPattern.AnchorOffset;
        output.Clear();
        int i = 0;
        while (i < input.Length)
        {
            // No match can start before the next anchor (minus its offset): copy up to there at once.
            int anchor = input[(i + offset)..].IndexOfAny(TPattern.Anchors);
            if (anchor < 0) break;
            int start = i + anchor;
            output.Append(input[i..start]);
            i = start;
            if (i + 1 < input.Length && TPattern.Matches(input[i], input[i + 1]))
            {
                if (spaceBefore) output.Append(' ');
                output.Append(input[i]);
                output.Append(' ');
                output.Append(input[i + 1]);
                if (!spaceBefore) output.Append(' ');
                i += 2;
            }
            else output.Append(input[i++]);
        }
        if (i < input.Length) output.Append(input[i..]);
    }

    static readonly SearchValues<char> SetApart = SearchValues.Create("{|}~[\\]^_` !\"#$%&()*+:;<=>?@/");
    static readonly SearchValues<char> PeriodOrComma = SearchValues.Create(".,");
    static readonly SearchValues<char> Dash = SearchValues.Create("-");

    static bool IsDigit(char c) => c is >= '0' and <= '9';
    static bool IsPeriodOrComma(char c) => c is '.' or ',';
}
