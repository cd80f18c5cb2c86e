using System.Text.RegularExpressions;

namespace LsTranslate.Metrics;

/// <summary>
/// TER's optional text preparation, as sacreBLEU's tercom tokenizer does it (after lowercasing): `normalized` splits
/// punctuation off words (Western rules: possessive 's, periods and commas outside numbers, a dash after a digit) and
/// unescapes four XML entities; `no-punct` deletes . , ? : ; ! " ( ). Asian support is not implemented.
/// </summary>
static partial class TercomNormalizer
{
    public static string Normalize(string text)
    {
        text = text.Replace("\n-", "").Replace("\n", " ")
            .Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        text = $" {text} ";
        text = Punctuation().Replace(text, " $1 ");
        text = text.Replace("'s ", " 's ");
        text = PossessiveAtEnd().Replace(text, " 's");
        text = PeriodCommaAfterNonDigit().Replace(text, "$1 $2 ");
        text = PeriodCommaBeforeNonDigit().Replace(text, " $1 $2");
        return DashAfterDigit().Replace(text, "$1 $2 ");
    }

    public static string RemovePunctuation(string text) => Removed().Replace(text, "");

    // Python's ranges {-~ [-` space-& (-+ :-@ and /, with the brackets escaped for .NET.
    [GeneratedRegex(@"([{-~\[-` -&(-+:-@/])")]
    private static partial Regex Punctuation();

    // Python's $ also matches before a final newline.
    [GeneratedRegex(@"'s(?=\n?\z)")]
    private static partial Regex PossessiveAtEnd();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();

    [GeneratedRegex(@"[\.,\?:;!""\(\)]")]
    private static partial Regex Removed();
}
