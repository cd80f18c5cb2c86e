namespace LsTranslate.Metrics;

/// <summary>
/// References as one metric reads them (tokenized, lowercased, normalised), made once by
/// <see cref="TextMetric.Prepare"/> and used for every system scored against them, as sacreBLEU caches its references.
/// </summary>
public sealed class PreparedReferences
{
    readonly string[][] _lines;

    internal PreparedReferences(TextMetric metric, string[][] lines, string nrefs) => (Metric, _lines, NRefs) = (metric, lines, nrefs);

    /// <summary>The metric these references were prepared by; no other may read them.</summary>
    internal TextMetric Metric { get; }
    public int Count => _lines.Length;
    internal IReadOnlyList<string> this[int line] => _lines[line];
    /// <summary>The nrefs field of the signature, as <see cref="References.NRefs"/>.</summary>
    public string NRefs { get; }
}
