using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LsTranslate.Cli.Arguments;

/// <summary>Parsers for option values that System.CommandLine has no type for.</summary>
static partial class OptionParsers
{
    /// <summary>Durations as users write them: 90s, 20m, 1h30m, 2h, or a bare number of minutes.</summary>
    public static TimeSpan? Duration(ArgumentResult result)
    {
        string text = result.Tokens.Single().Value.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double minutes) && minutes > 0)
            return TimeSpan.FromMinutes(minutes);
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            result.AddError($"'{text}' is not a duration (examples: 90s, 20m, 1h30m)");
            return null;
        }
        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var span = TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        if (span <= TimeSpan.Zero) result.AddError($"duration '{text}' must be positive");
        return span;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex DurationPattern();

    /// <summary>`--precision fp32|bf16|auto`; <paramref name="what"/> says what it sets and what stays fp32.</summary>
    public static Option<string> Precision(string what, string defaultValue = "auto") => OneOf("--precision",
        $"{what}; auto: bf16 where the CPU (avx512_bf16, AMX) or GPU has it", defaultValue, [.. LsTranslate.Model.Precisions.Names]);

    /// <summary>An option that must be one of <paramref name="allowed"/>; the error names them.</summary>
    public static Option<string> OneOf(string name, string description, string defaultValue, params string[] allowed)
    {
        var option = new Option<string>(name) { Description = $"{description} ({string.Join(", ", allowed)})", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is not null && !allowed.Contains(value))
                result.AddError($"{name}: unknown value '{value}' (expected one of: {string.Join(", ", allowed)})");
        });
        return option;
    }
}
