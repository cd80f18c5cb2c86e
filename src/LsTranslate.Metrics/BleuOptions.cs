namespace LsTranslate.Metrics;

/// <summary>BLEU settings, with sacreBLEU 2.x's defaults.</summary>
public sealed record BleuOptions
{
    /// <summary>13a (default), intl, char or none.</summary>
    public string Tokenize { get; init; } = "13a";
    public bool Lowercase { get; init; }
    /// <summary>exp (default), floor, add-k or none.</summary>
    public string SmoothMethod { get; init; } = "exp";
    /// <summary>For floor and add-k; null means sacreBLEU's default (0.1 for floor, 1 for add-k).</summary>
    public double? SmoothValue { get; init; }
    /// <summary>Leave out n-gram orders the hypothesis is too short for (for sentence BLEU).</summary>
    public bool EffectiveOrder { get; init; }
    public int MaxNgramOrder { get; init; } = 4;

    public static readonly IReadOnlyList<string> SmoothMethods = ["exp", "floor", "add-k", "none"];

    /// <summary>sacreBLEU's smoothing defaults; null where a method takes no value.</summary>
    public static double? DefaultSmoothValue(string method) => method switch
    {
        "floor" => 0.1,
        "add-k" => 1,
        _ => null,
    };
}
