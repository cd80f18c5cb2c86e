namespace LsTranslate.Decode.Metrics.Tokenizers;

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
        foreach (char c in line)
        {
            if (IsSetApart(c)) { scratch.Append(' '); scratch.Append(c); scratch.Append(' '); }
            else scratch.Append(c);
        }
        scratch.Append(' ');

        // ([^0-9])([\.,]) → "\1 \2 "
        Substitute(scratch.Span, output, static (a, b) => !IsDigit(a) && IsPeriodOrComma(b), spaceBefore: false);
        // ([\.,])([^0-9]) → " \1 \2"
        Substitute(output.Span, scratch, static (a, b) => IsPeriodOrComma(a) && !IsDigit(b), spaceBefore: true);
        // ([0-9])(-) → "\1 \2 "
        Substitute(scratch.Span, output, static (a, b) => IsDigit(a) && b == '-', spaceBefore: false);
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
    /// One re.sub of a two-character pattern: a match becomes "a b " (or " a b" when
    /// <paramref name="spaceBefore"/>), and scanning resumes after the match.
    /// </summary>
    static void Substitute(ReadOnlySpan<char> input, CharBuffer output, Func<char, char, bool> matches, bool spaceBefore)
    {
        output.Clear();
        int i = 0;
        while (i < input.Length)
        {
            if (i + 1 < input.Length && matches(input[i], input[i + 1]))
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
    }

    static bool IsSetApart(char c) => c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&')
        or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';

    static bool IsDigit(char c) => c is >= '0' and <= '9';
    static bool IsPeriodOrComma(char c) => c is '.' or ',';
}
