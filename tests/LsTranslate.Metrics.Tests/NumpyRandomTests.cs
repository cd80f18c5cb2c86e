namespace LsTranslate.Metrics.Tests;

/// <summary>NumpyRandom against numpy 1.24's own draws (np.random.default_rng), printed by numpy on this machine.</summary>
public class NumpyRandomTests
{
    [Fact]
    public void RawOutputsAreNumpysForSeedsOfOneAndTwoWords()
    {
        var random = new NumpyRandom(12345);
        Assert.Equal([4193609425186963869UL, 5843160025838961886UL, 14708796524633321433UL, 12474696839993944336UL],
            Enumerable.Range(0, 4).Select(_ => random.NextUInt64()));
        var zero = new NumpyRandom(0);
        Assert.Equal([11749869230777074271UL, 4976686463289251617UL], [zero.NextUInt64(), zero.NextUInt64()]);
    }

    [Fact]
    public void BoundedDrawsAreNumpysIntegersAndChoice()
    {
        static int[] Draws(long seed, int bound, int count)
        {
            var random = new NumpyRandom(seed);
            return Enumerable.Range(0, count).Select(_ => random.Below(bound)).ToArray();
        }
        Assert.Equal([6, 2, 7, 3, 2, 7, 6, 6, 9, 3, 8, 3, 5, 5, 2, 1, 2, 6, 6, 9], Draws(12345, 10, 20));
        Assert.Equal([699, 227, 788, 316, 204, 797, 642, 676, 988, 391], Draws(12345, 1000, 10));
        // Range 3 rejects draws (Lemire's threshold), so this also checks that a rejected draw is replaced as numpy does.
        Assert.Equal([2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 0, 2, 2, 0, 1, 2, 0, 2, 0, 1, 2, 0, 1, 0, 2, 0, 2, 1, 1, 1], Draws(7, 3, 30));
        Assert.Equal([817, 862, 495, 1110, 424, 527, 375, 72], Draws((1L << 40) + 3, 1115, 8));
        // default_rng(12345).choice(1000, size=(1000, 1000)).sum()
        Assert.Equal(499074881L, Draws(12345, 1000, 1_000_000).Sum(d => (long)d));
    }

    [Fact]
    public void ABoundOfOneDrawsNothing()
    {
        var random = new NumpyRandom(12345);
        Assert.Equal(0, random.Below(1));
        Assert.Equal(6, random.Below(10));
    }

    [Fact]
    public void NumpysMeanRoundsAsPairwiseSummation()
    {
        // np.array([0.1] * 1000).mean() = 0.10000000000000002 (a plain running sum gives 0.09999999999999859).
        Assert.Equal(0.10000000000000002, NumpySum.Mean(Enumerable.Repeat(0.1, 1000).ToArray()));
        Assert.NotEqual(Enumerable.Repeat(0.1, 1000).Sum() / 1000, NumpySum.Mean(Enumerable.Repeat(0.1, 1000).ToArray()));
    }

    [Fact]
    public void NumpysSumTakesLongArraysInPiecesOf8192()
    {
        // a[i] = (i·7919 mod 1000) / 7 + i/1000; numpy 1.24: np.sum(a), np.mean(a). Plain pairwise summation of the whole
        // array gives 1627132.8571428573 and 12135764.285714285 instead.
        static double[] Values(int n) => Enumerable.Range(0, n).Select(i => (i * 7919L % 1000) / 7.0 + 1e-3 * i).ToArray();
        Assert.Equal(1627132.857142857, NumpySum.Sum(Values(20000)));
        Assert.Equal(81.35664285714286, NumpySum.Mean(Values(20000)));
        Assert.Equal(12135764.285714287, NumpySum.Sum(Values(100001)));
        Assert.Equal(121.35642929284994, NumpySum.Mean(Values(100001)));
    }
}
