using System.Globalization;
using System.Text;

namespace LsTranslate.Metrics.Tokenizers;

/// <summary>
/// sacreBLEU's "intl" tokenizer (mteval-v14 international): split punctuation (Unicode P*) from
/// non-numbers on either side, and set symbols (S*) apart. Works on code points, as Python does,
/// so punctuation and symbols outside the BMP (surrogate pairs) are handled whole.
/// </summary>
public sealed class TokenizerIntl : BleuTokenizer
{
    [ThreadStatic] static CharBuffer? _scratch;

    public override string Name => "intl";

    public override void Tokenize(ReadOnlySpan<char> line, CharBuffer output)
    {
        var scratch = _scratch ??= new CharBuffer();
        // (\P{N})(\p{P}) → "\1 \2 "
        Substitute(line, scratch, static (a, b) => !IsNumber(a) && IsPunctuation(b), spaceBefore: false);
        // (\p{P})(\P{N}) → " \1 \2"
        Substitute(scratch.Span, output, static (a, b) => IsPunctuation(a) && !IsNumber(b), spaceBefore: true);
        // (\p{S}) → " \1 "
        scratch.Clear();
        var rest = output.Span;
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf16(rest, out var rune, out int used);
            bool symbol = IsSymbol(rune);
            if (symbol) scratch.Append(' ');
            scratch.Append(rest[..used]);
            if (symbol) scratch.Append(' ');
            rest = rest[used..];
        }
        output.Clear();
        output.Append(scratch.Span);
    }

    static void Substitute(ReadOnlySpan<char> input, CharBuffer output, Func<Rune, Rune, bool> matches, bool spaceBefore)
    {
        output.Clear();
        int i = 0;
        while (i < input.Length)
        {
            Rune.DecodeFromUtf16(input[i..], out var first, out int firstLength);
            if (i + firstLength < input.Length)
            {
                Rune.DecodeFromUtf16(input[(i + firstLength)..], out var second, out int secondLength);
                if (matches(first, second))
                {
                    if (spaceBefore) output.Append(' ');
                    output.Append(input.Slice(i, firstLength));
                    output.Append(' ');
                    output.Append(input.Slice(i + firstLength, secondLength));
                    if (!spaceBefore) output.Append(' ');
                    i += firstLength + secondLength;
                    continue;
                }
            }
            output.Append(input.Slice(i, firstLength));
            i += firstLength;
        }
    }

    static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    static bool IsPunctuation(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    static bool IsSymbol(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
        or UnicodeCategory.OtherSymbol;
}
