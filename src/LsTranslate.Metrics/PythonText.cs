using System.Buffers;
using System.Globalization;
using System.Text;

namespace LsTranslate.Metrics;

/// <summary>
/// The few Python string operations sacreBLEU's results depend on (str.isspace, split, rstrip, lower),
/// reproduced so that our tokens are the tokens sacreBLEU sees.
/// </summary>
public static class PythonText
{
    /// <summary>Python's str.isspace for one UTF-16 unit (no supplementary character is whitespace).</summary>
    public static bool IsSpace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\x1c' and <= ' ' => true,
        '\x85' or '\xa0' or '\u1680' or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    /// <summary>Every character <see cref="IsSpace"/> accepts, for vectorised searching.</summary>
    public static readonly SearchValues<char> Whitespace = SearchValues.Create(
        "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
        "\u2028\u2029\u202f\u205f\u3000");

    /// <summary>Python's str.split(): maximal runs of non-whitespace, as ranges into <paramref name="text"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> words)
    {
        words.Clear();
        int offset = 0;
        while (true)
        {
            int skip = text.IndexOfAnyExcept(Whitespace);
            if (skip < 0) return;
            text = text[skip..];
            offset += skip;
            int length = text.IndexOfAny(Whitespace);
            if (length < 0) length = text.Length;
            words.Add((offset, length));
            text = text[length..];
            offset += length;
        }
    }

    public static ReadOnlySpan<char> RStrip(ReadOnlySpan<char> text)
    {
        int end = text.Length;
        while (end > 0 && IsSpace(text[end - 1])) end--;
        return text[..end];
    }

    /// <summary>
    /// Python's str.lower(): per code point lowercase, plus the two full mappings Python applies that
    /// .NET's simple mapping lacks (İ → i̇, and Σ → ς at the end of a word).
    /// </summary>
    public static string Lower(string text)
    {
        if (IsAsciiLower(text)) return text;
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out int used);
            if (rune.Value == 0x130) sb.Append("i\u0307");
            else if (rune.Value == 0x3A3) sb.Append(IsFinalSigma(text, i) ? 'ς' : 'σ');
            else sb.Append(Rune.ToLowerInvariant(rune).ToString());
            i += used;
        }
        return sb.ToString();
    }

    static bool IsAsciiLower(string text)
    {
        foreach (char c in text)
            if (c > 0x7f || c is >= 'A' and <= 'Z') return false;
        return true;
    }

    // Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorables) and none after.
    static bool IsFinalSigma(string text, int at)
    {
        int before = at - 1;
        while (before >= 0 && IsCaseIgnorable(text[before])) before--;
        if (before < 0 || !IsCased(text[before])) return false;
        int after = at + 1;
        while (after < text.Length && IsCaseIgnorable(text[after])) after++;
        return after >= text.Length || !IsCased(text[after]);
    }

    static bool IsCased(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    static bool IsCaseIgnorable(char c) => c is '\'' or '.' or ':' or '\u00b7' or '\u2019' ||
        char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
