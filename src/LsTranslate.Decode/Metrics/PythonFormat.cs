using System.Globalization;

namespace LsTranslate.Decode.Metrics;

/// <summary>
/// Python's f"{x:.Nf}": the exact binary value rounded half to even. .NET rounds exact ties away from
/// zero (6.25 → "6.3" where Python prints "6.2"), which would change printed precisions.
/// </summary>
public static class PythonFormat
{
    public static string Fixed(double value, int decimals)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        // Enough digits to hold every double in metric ranges exactly; .NET prints exact digits.
        string exact = Math.Abs(value).ToString("F" + (decimals + 400), CultureInfo.InvariantCulture);
        int point = exact.IndexOf('.');
        string kept = exact[..(point + 1 + decimals)];
        string rest = exact[(point + 1 + decimals)..];
        bool roundUp = rest[0] > '5' || rest[0] == '5' && (rest.AsSpan(1).ContainsAnyExcept('0') || LastDigitOdd(kept));
        if (roundUp) kept = Increment(kept);
        if (decimals == 0) kept = kept.TrimEnd('.');
        bool negative = value < 0 || (value == 0 && double.IsNegative(value));
        return negative ? "-" + kept : kept;
    }

    static bool LastDigitOdd(string digits)
    {
        char last = digits[^1] == '.' ? digits[^2] : digits[^1];
        return (last - '0') % 2 == 1;
    }

    static string Increment(string digits)
    {
        var chars = digits.ToCharArray();
        for (int i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] == '.') continue;
            if (chars[i] < '9') { chars[i]++; return new string(chars); }
            chars[i] = '0';
        }
        return "1" + new string(chars);
    }
}
