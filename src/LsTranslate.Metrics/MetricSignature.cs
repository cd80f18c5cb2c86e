namespace LsTranslate.Metrics;

/// <summary>
/// sacreBLEU's reproducibility signature as a value (sacreBLEU's Signature): the metric's fields in order (nrefs, case,
/// tok, …), ending in our version. Printed as "key:value|…|version:…"; sacreBLEU's JSON lists the fields one by one.
/// Two signatures are equal when they print the same.
/// </summary>
public sealed class MetricSignature : IEquatable<MetricSignature>
{
    /// <summary>The version field of our signatures: the numbers follow sacreBLEU 2.6.0, the code is ours.</summary>
    public const string Version = "lstranslate-0.1";

    readonly string text;

    MetricSignature(IReadOnlyList<(string Key, string Value)> fields)
    {
        Fields = fields;
        text = string.Join('|', fields.Select(f => $"{f.Key}:{f.Value}"));
    }

    /// <summary>The fields in the order they print, the version last.</summary>
    public IReadOnlyList<(string Key, string Value)> Fields { get; }

    /// <summary>A metric's signature: its own fields, then the version.</summary>
    public static MetricSignature Of(params (string Key, string Value)[] fields) => new([.. fields, ("version", Version)]);

    /// <summary>
    /// With a paired test's size (<paramref name="test"/>: bs for bootstrap resamples, ar for randomization trials) and
    /// seed (a number, or "none") after nrefs, as sacreBLEU's paired tests name a metric.
    /// </summary>
    public MetricSignature WithPairedTest(string test, int size, string seed) =>
        new([.. Fields.Take(1), (test, $"{size}"), ("seed", seed), .. Fields.Skip(1)]);

    public override string ToString() => text;

    public bool Equals(MetricSignature? other) => other is not null && other.text == text;

    public override bool Equals(object? obj) => Equals(obj as MetricSignature);

    public override int GetHashCode() => text.GetHashCode(StringComparison.Ordinal);
}
