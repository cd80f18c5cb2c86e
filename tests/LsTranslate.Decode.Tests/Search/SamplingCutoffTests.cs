using LsTranslate.Decode.Search;
using TorchSharp;

namespace LsTranslate.Decode.Tests.Search;

/// <summary>
/// Which tokens sampling may draw after top-k and top-p, on a distribution written down: 4,000 rows of the same
/// probabilities are sampled and the set of drawn tokens must be exactly the survivors the definitions give. Every
/// survivor has probability ≥ 1/16, so one missing from 4,000 draws would be a wrong cut, not bad luck.
/// </summary>
public class SamplingCutoffTests
{
    // Dyadic, so that exp(log p) is p exactly in float32 and a cumulative sum lands exactly on the boundaries below.
    static readonly double[] Probabilities = [0.0625, 0.5, 0.125, 0.25, 0.0625]; // by rank: 1, 3, 2, 4 (tied with 0)
    const int Rows = 4000;

    static int[] Survivors(int topK, double topP, double[] probabilities)
    {
        var options = new SearchOptions { Sampling = true, Beam = 1, TopK = topK, TopP = topP, Seed = 5 }.Validate();
        var logProbs = torch.tensor(probabilities.Select(p => (float)Math.Log(p)).ToArray()).expand(Rows, probabilities.Length).reshape(1, Rows, probabilities.Length);
        var drawn = new SampledCandidates(options).Select(torch.zeros(1, Rows), logProbs).Tokens;
        return drawn.data<long>().ToArray().Select(t => (int)t).Distinct().Order().ToArray();
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(2, new[] { 1, 3 })]
    [InlineData(3, new[] { 1, 2, 3 })]
    [InlineData(0, new[] { 0, 1, 2, 3, 4 })]  // 0 is off
    [InlineData(5, new[] { 0, 1, 2, 3, 4 })]  // k = vocabulary: nothing to cut
    public void TopKKeepsTheKMostLikelyTokens(int k, int[] expected) => Assert.Equal(expected, Survivors(k, 1.0, Probabilities));

    /// <summary>
    /// A tie at the k-th probability keeps every tied token, as Hugging Face's TopKLogitsWarper (it removes the scores
    /// below the k-th largest): tokens 0 and 4 share the 4th place, so k = 4 keeps all five.
    /// </summary>
    [Fact]
    public void TopKKeepsEveryTokenTiedAtTheKthPlace() => Assert.Equal([0, 1, 2, 3, 4], Survivors(4, 1.0, Probabilities));

    /// <summary>
    /// Top-p (Holtzman et al. 2020): the smallest set of most likely tokens whose probability reaches p. Sorted, the
    /// cumulative sums are 0.5, 0.75, 0.875, 0.9375, 1: a p equal to one of them stops there, one just above takes the next token.
    /// </summary>
    [Theory]
    [InlineData(0.1, new[] { 1 })]
    [InlineData(0.5, new[] { 1 })]            // 0.5 reached by the top token alone
    [InlineData(0.5001, new[] { 1, 3 })]
    [InlineData(0.74, new[] { 1, 3 })]
    [InlineData(0.75, new[] { 1, 3 })]        // exactly 0.5 + 0.25: the third token is not needed
    [InlineData(0.76, new[] { 1, 2, 3 })]
    [InlineData(0.875, new[] { 1, 2, 3 })]
    [InlineData(1.0, new[] { 0, 1, 2, 3, 4 })] // 1 is off
    public void TopPKeepsTheSmallestSetWhoseProbabilityReachesP(double p, int[] expected) => Assert.Equal(expected, Survivors(0, p, Probabilities));

    /// <summary>p = 0.9: 0.875 is short of it and 0.875 + 1/16 passes it, so exactly one of the tied tokens 0 and 4 is kept.</summary>
    [Fact]
    public void TopPTakesOneOfTwoTiedTokensWhereOneIsEnough()
    {
        var survivors = Survivors(0, 0.9, Probabilities);
        Assert.Equal(4, survivors.Length);
        Assert.Equal([1, 2, 3], survivors.Intersect([1, 2, 3]));
    }
}
