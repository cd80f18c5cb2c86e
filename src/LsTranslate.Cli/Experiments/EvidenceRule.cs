using LsTranslate.Decode.Evaluation;

namespace LsTranslate.Cli.Experiments;

/// <summary>What a measured effect's interval says about a claim.</summary>
public enum Evidence { Shown, WithinNoise, Opposite }

/// <summary>
/// The one rule every reproduction judges its claims by: an effect is shown only when its whole interval (a 95 %
/// bootstrap interval, or mean ± spread over seeds) lies on the claimed side of the bound (zero for a difference);
/// when the whole interval lies on the other side the opposite is shown; anything else is within noise.
/// </summary>
public static class EvidenceRule
{
    public static Evidence Above(Interval interval, double bound = 0) =>
        interval.Low > bound ? Evidence.Shown : interval.High < bound ? Evidence.Opposite : Evidence.WithinNoise;

    public static Evidence Below(Interval interval, double bound = 0) =>
        interval.High < bound ? Evidence.Shown : interval.Low > bound ? Evidence.Opposite : Evidence.WithinNoise;

    /// <summary>A claim made of parts: shown when every part is, the opposite when any part's opposite is.</summary>
    public static Evidence All(IEnumerable<Evidence> parts)
    {
        var list = parts.ToList();
        return list.Contains(Evidence.Opposite) ? Evidence.Opposite : list.All(e => e == Evidence.Shown) ? Evidence.Shown : Evidence.WithinNoise;
    }

    /// <summary>Mean ± spread as an interval: the spread is what the seeds (or a standard error) say a difference may be off by.</summary>
    public static Interval Around(double value, double spread) => new(value - spread, value + spread);
}
