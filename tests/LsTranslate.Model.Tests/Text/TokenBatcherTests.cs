using TorchSharp;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Text;

public class TokenBatcherTests
{
    private const int MaxTokens = 200;

    /// <summary>Pairs of varied lengths, the ids encoding (pair, position) so rows can be recognised.</summary>
    private static List<EncodedPair> Pairs(int count = 1000)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(p => new EncodedPair(
            Enumerable.Range(0, random.Next(1, 40)).Select(i => 4 + (p * 7 + i) % 500).ToArray(),
            Enumerable.Range(0, random.Next(0, 40)).Select(i => 4 + (p * 11 + i) % 500).ToArray())).ToList();
    }

    private static int Width(EncodedPair pair) => Math.Max(pair.Source.Length, pair.Target.Length + 1);

    [Fact]
    public void EveryBatchKeepsItsPaddedSizeWithinTheBudget()
    {
        var pairs = Pairs();
        var plan = new TokenBatcher(pairs, MaxTokens, seed: 1).EpochPlan(0);
        Assert.All(plan, batch => Assert.True(batch.Length * batch.Max(i => Width(pairs[i])) <= MaxTokens));
        // Length grouping makes batches much fuller than one pair each.
        Assert.True(plan.Count < pairs.Count / 4, $"{plan.Count} batches");
    }

    [Fact]
    public void APairLongerThanTheBudgetGetsABatchOfItsOwn()
    {
        var pairs = Pairs(50);
        pairs.Add(new EncodedPair(new int[300], new int[5]));
        var plan = new TokenBatcher(pairs, MaxTokens, seed: 1).EpochPlan(0);
        Assert.Contains(plan, batch => batch.SequenceEqual([50]));
    }

    [Fact]
    public void EveryPairAppearsExactlyOncePerEpoch()
    {
        var pairs = Pairs(10_000);
        var batcher = new TokenBatcher(pairs, MaxTokens, seed: 3);
        foreach (int epoch in new[] { 0, 1 })
            Assert.Equal(Enumerable.Range(0, pairs.Count), batcher.EpochPlan(epoch).SelectMany(b => b).Order());
    }

    [Fact]
    public void SameSeedAndEpochGiveTheSamePlanOtherEpochsAnotherOrder()
    {
        var pairs = Pairs();
        var plan = new TokenBatcher(pairs, MaxTokens, seed: 5).EpochPlan(2);
        Assert.Equal(plan, new TokenBatcher(pairs, MaxTokens, seed: 5).EpochPlan(2));
        Assert.NotEqual(plan.SelectMany(b => b), new TokenBatcher(pairs, MaxTokens, seed: 5).EpochPlan(3).SelectMany(b => b));
        Assert.NotEqual(plan.SelectMany(b => b), new TokenBatcher(pairs, MaxTokens, seed: 6).EpochPlan(2).SelectMany(b => b));
    }

    [Fact]
    public void MakeBuildsPaddedInt64TensorsWithBosAndEos()
    {
        var pairs = new List<EncodedPair> { new([10, 11, 12], [20]), new([13], [21, 22, 23]) };
        using var batch = new TokenBatcher(pairs, MaxTokens, seed: 0).Make([0, 1]);
        Assert.Equal(torch.ScalarType.Int64, batch.Source.dtype);
        Assert.Equal(DeviceType.CPU, batch.Source.device_type);
        Assert.Equal([2L, 3], batch.Source.shape);
        Assert.Equal([2L, 4], batch.TargetIn.shape);
        Assert.Equal([2L, 4], batch.TargetOut.shape);
        Assert.Equal([10L, 11, 12, 13, 0, 0], batch.Source.data<long>().ToArray());
        Assert.Equal([1L, 20, 0, 0, 1, 21, 22, 23], batch.TargetIn.data<long>().ToArray());
        Assert.Equal([20L, 2, 0, 0, 21, 22, 23, 2], batch.TargetOut.data<long>().ToArray());
        Assert.Equal(6, batch.TargetTokens);
        Assert.Equal(2, batch.Sentences);
    }

    [Fact]
    public void TargetTokensCountTheNonPadOutputs()
    {
        var pairs = Pairs(300);
        var batcher = new TokenBatcher(pairs, MaxTokens, seed: 9);
        foreach (var indices in batcher.EpochPlan(0).Take(20))
        {
            using var batch = batcher.Make(indices);
            Assert.Equal(indices.Sum(i => pairs[i].Target.Length + 1), batch.TargetTokens);
            Assert.Equal(batch.TargetTokens, batch.TargetOut.ne(SpecialTokens.Pad).sum().item<long>());
        }
    }
}
