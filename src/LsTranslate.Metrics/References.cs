namespace LsTranslate.Metrics;

/// <summary>
/// Reference streams regrouped per line, with empty references dropped as sacreBLEU drops them
/// (a line may then have fewer references; the signature says nrefs:var).
/// </summary>
public sealed class References
{
    readonly string[][] _lines;

    public References(IReadOnlyList<IReadOnlyList<string>> streams)
    {
        if (streams.Count == 0) throw new ArgumentException("at least one reference stream is needed");
        int count = streams[0].Count;
        if (streams.Any(s => s.Count != count))
            throw new ArgumentException("reference streams have different numbers of lines");
        _lines = new string[count][];
        var counts = new HashSet<int>();
        for (int i = 0; i < count; i++)
        {
            _lines[i] = streams.Select(s => s[i]).Where(r => r.Length > 0).ToArray();
            if (_lines[i].Length == 0) throw new ArgumentException($"line {i + 1}: every reference is empty");
            counts.Add(_lines[i].Length);
        }
        NRefs = counts.Count == 1 ? counts.First().ToString() : counts.Count == 0 ? streams.Count.ToString() : "var";
    }

    public int Count => _lines.Length;
    public IReadOnlyList<string> this[int line] => _lines[line];

    /// <summary>The nrefs field of the signature: the number of references, or "var".</summary>
    public string NRefs { get; }
}
