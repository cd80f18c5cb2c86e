using LsTranslate.Model.Batches;

namespace LsTranslate.Model.Tests.Text;

public class LengthBatchesTests
{
    static readonly int[] Widths = [2, 3, 3, 5, 9, 20];

    [Fact]
    public void ABatchClosesBeforeTheSentenceThatWouldPassTheBudgetOfPaddedPositions()
    {
        // 2,3,3 → 3 × 3 = 9 ≤ 10; adding 5 would make 4 × 5 = 20. 5,9 → 2 × 9 = 18 > 10, so 5 alone; 20 alone although over budget.
        var batches = LengthBatches.Cut(Enumerable.Range(0, Widths.Length), i => Widths[i], maxTokens: 10).ToList();
        Assert.Equal([[0, 1, 2], [3], [4], [5]], batches);
    }

    [Fact]
    public void LongestFirstWithASentenceLimitAsTheTranslatorCutsIt()
    {
        var longestFirst = Enumerable.Range(0, Widths.Length).Reverse();
        Assert.Equal([[5, 4], [3, 2], [1, 0]], LengthBatches.Cut(longestFirst, i => Widths[i], long.MaxValue, maxSentences: 2).ToList());
        Assert.Equal([[5], [4, 3, 2], [1, 0]], LengthBatches.Cut(longestFirst, i => Widths[i], maxTokens: 27).ToList());
    }
}
