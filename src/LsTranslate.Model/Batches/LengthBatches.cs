namespace LsTranslate.Model.Batches;

/// <summary>
/// Cuts sentences, already sorted by length, into consecutive batches within a budget of padded positions: a batch closes
/// before the sentence that would give it more than <c>maxSentences</c> sentences, or more than <c>maxTokens</c> positions
/// once every row is padded to its widest. A batch's first sentence always fits, so one wider than the budget gets a batch
/// of its own. Training's batches (<see cref="TokenBatcher"/>) and the translator's are both cut here.
/// </summary>
public static class LengthBatches
{
    /// <param name="sorted">sentence indices in length order (either way round).</param>
    /// <param name="width">a sentence's padded width.</param>
    /// <param name="maxTokens">the budget of positions (count × widest) per batch.</param>
    /// <param name="maxSentences">the most sentences per batch.</param>
    public static IEnumerable<int[]> Cut(IEnumerable<int> sorted, Func<int, int> width, long maxTokens, int maxSentences = int.MaxValue)
    {
        var batch = new List<int>();
        int widest = 0;
        foreach (int index in sorted)
        {
            int widened = Math.Max(widest, width(index));
            if (batch.Count > 0 && (batch.Count == maxSentences || (long)(batch.Count + 1) * widened > maxTokens))
            {
                yield return [.. batch];
                batch.Clear();
                widened = width(index);
            }
            batch.Add(index);
            widest = widened;
        }
        if (batch.Count > 0) yield return [.. batch];
    }
}
