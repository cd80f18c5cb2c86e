namespace LsTranslate.Cli.Output;

/// <summary>How `decode`'s reports on stderr count and list input lines.</summary>
static class LineCount
{
    /// <summary>"1 line", "2,000 lines".</summary>
    public static string Of(long count) => count == 1 ? "1 line" : $"{count:N0} lines";

    /// <summary>"line 4", "lines 4, 9 and 3 more": the first few of <paramref name="count"/> line numbers.</summary>
    public static string List(IEnumerable<long> first, long count)
    {
        var shown = first.ToList();
        return "line" + (count == 1 ? " " : "s ") + string.Join(", ", shown) + (count > shown.Count ? $" and {count - shown.Count} more" : "");
    }
}
