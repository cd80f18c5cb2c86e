using System.Globalization;

namespace LsTranslate.Metrics;

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

    /// <summary>Python's round(x, n): the decimal nearest the exact binary value, ties to even.</summary>
    public static double Round(double value, int decimals) =>
        double.IsFinite(value) ? double.Parse(Fixed(value, decimals), CultureInfo.InvariantCulture) : value;

    /// <summary>Python's repr of a float (what json.dumps writes): the shortest round-trip digits, "56.0" not "56", "1e-05" not "1E-05".</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "Infinity" : "-Infinity";
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E');
        if (e < 0) return r.Contains('.') ? r : r + ".0";
        // Python: mantissa, 'e', sign, at least two exponent digits (1e-05, 1.5e+16).
        int exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        return $"{r[..e]}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
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
