using LsTranslate.Decode.Search;
using LsTranslate.Model;

namespace LsTranslate.Decode.Tests.Search;

public class BeamSearchTests
{
    // 7 ids: PAD, BOS (never generated), EOS and four words: five choices per step.
    const int Vocab = 7;
    static readonly long[][] Sources = [[4, 5, 6], [6], [5, 5, 4, 6, 4], [4, 4], [6, 5], [5, 6, 6, 4]];
    static readonly SearchOptions MaxFour = new() { MaxLenA = 0, MaxLenB = 4 };

    [Theory]
    [InlineData(0.0, LengthPenaltyStyle.Gnmt, 1.0, true)]
    [InlineData(0.6, LengthPenaltyStyle.Gnmt, 1.0, true)]
    [InlineData(0.0, LengthPenaltyStyle.Gnmt, 1.0, false)]
    [InlineData(0.6, LengthPenaltyStyle.Gnmt, 1.0, false)]
    [InlineData(2.0, LengthPenaltyStyle.Gnmt, 1.0, false)]
    [InlineData(1.0, LengthPenaltyStyle.Fairseq, 1.0, false)]
    [InlineData(0.6, LengthPenaltyStyle.Fairseq, 2.5, false)]
    public void WideBeamReturnsTheExhaustiveBest(double alpha, LengthPenaltyStyle style, double temperature, bool earlyStop)
    {
        var model = new FakeSeq2Seq(Vocab);
        // 4^4 open prefixes of length 4 exist: a beam of 300 never drops one, so it must be exact.
        var options = MaxFour with { Beam = 300, NBest = 5, LengthPenalty = alpha, LengthPenaltyStyle = style, Temperature = temperature, Stopping = earlyStop ? BeamStopping.Beam : BeamStopping.Exact };
        var found = new BeamSearch(model, options).Search(Reference.Batch(Sources[0], Sources[1]));
        for (int s = 0; s < 2; s++)
        {
            var best = Reference.Exhaustive(model, Sources[s], options, 4).Take(5).ToList();
            Assert.Equal(best.Select(h => h.Tokens), found[s].Select(h => h.Tokens));
            for (int i = 0; i < 5; i++) Reference.AssertClose(best[i].Score, found[s][i].Score);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    public void BeamOneIsGreedyTokenForToken(double alpha)
    {
        var model = new FakeSeq2Seq(Vocab, seed: 3);
        var options = new SearchOptions { Beam = 1, LengthPenalty = alpha };
        var found = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
            Assert.Equal(Reference.Greedy(model, Sources[s], options.MaxLength(Sources[s].Length)), found[s].Single().Tokens);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void BatchedEqualsOneSentenceAtATime(int beam)
    {
        var model = new FakeSeq2Seq(Vocab, seed: 11);
        var options = new SearchOptions { Beam = beam, NBest = beam, LengthPenalty = 0.6 };
        var batched = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
        {
            var alone = new BeamSearch(model, options).Search(Reference.Batch(Sources[s]))[0];
            Assert.Equal(alone.Select(h => h.Tokens), batched[s].Select(h => h.Tokens));
            Assert.Equal(alone.Select(h => h.Score), batched[s].Select(h => h.Score));
        }
    }

    [Fact]
    public void NBestIsSortedDistinctAndScoredAsTheModelScoresIt()
    {
        var model = new FakeSeq2Seq(Vocab, seed: 5);
        var options = new SearchOptions { Beam = 6, NBest = 6, LengthPenalty = 0.6, Temperature = 1.7 };
        var found = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
        {
            Assert.Equal(6, found[s].Count);
            Assert.Equal(found[s].OrderByDescending(h => h.Score), found[s]);
            Assert.Equal(6, found[s].Select(h => string.Join(",", h.Tokens)).Distinct().Count());
            foreach (var h in found[s])
            {
                // Rescored from scratch: a wrong cache reorder would show here.
                var logProb = Reference.LogProb(model, Sources[s], h.Tokens, 1.7);
                Reference.AssertClose(logProb, h.LogProb);
                Reference.AssertClose(logProb / options.Penalty(h.Tokens.Length + 1), h.Score);
            }
        }
    }

    [Fact]
    public void TemperatureOneIsNoTemperatureAndOtherTemperaturesRescaleLogits()
    {
        var model = new FakeSeq2Seq(Vocab, seed: 9);
        var plain = new BeamSearch(model, new SearchOptions { Beam = 4, NBest = 4 }).Search(Reference.Batch(Sources));
        var hot = new BeamSearch(model, new SearchOptions { Beam = 4, NBest = 4, Temperature = 3 }).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
        {
            foreach (var h in plain[s])
            {
                var logits = new List<long> { 1 };
                double unscaled = 0;
                foreach (var t in h.Tokens.Append(2))
                {
                    var z = model.Logits(Sources[s], logits).Select(x => (double)x).ToArray();
                    unscaled += z[t] - Math.Log(z.Sum(Math.Exp));
                    logits.Add(t);
                }
                Reference.AssertClose(unscaled, h.LogProb);
            }
            foreach (var h in hot[s]) Reference.AssertClose(Reference.LogProb(model, Sources[s], h.Tokens, 3), h.LogProb);
        }
        Assert.NotEqual(plain.Select(n => n[0].Score), hot.Select(n => n[0].Score));
    }

    [Fact]
    public void MinLengthNoRepeatNgramAndMaxLengthMatchTheConstrainedExhaustiveBest()
    {
        var model = new FakeSeq2Seq(Vocab, seed: 13);
        var options = MaxFour with { Beam = 300, NBest = 3, MinLen = 2, NoRepeatNgram = 2, LengthPenalty = 0.6 };
        var found = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
        {
            var allowed = Reference.Exhaustive(model, Sources[s], options, 4)
                .Where(h => h.Tokens.Length >= 2 && !RepeatsBigram(h.Tokens)).Take(3);
            Assert.Equal(allowed.Select(h => h.Tokens), found[s].Select(h => h.Tokens));
        }
        var narrow = new BeamSearch(model, options with { Beam = 3, MaxLenB = 3, MinLen = 3 }).Search(Reference.Batch(Sources));
        Assert.All(narrow.SelectMany(n => n), h => Assert.Equal(3, h.Tokens.Length));
    }

    [Fact]
    public void OutputEndsWhereTheDecoderRunsOutOfPositionsWhateverMaxLenAsks()
    {
        var model = new FakeSeq2Seq(Vocab, seed: 13, maxPositions: 4);
        var options = new SearchOptions { Beam = 3, MaxLenA = 5, MaxLenB = 100, MinLen = 50 };
        var found = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        Assert.All(found.SelectMany(n => n), h => Assert.InRange(h.Tokens.Length, 1, 3));
    }

    static bool RepeatsBigram(int[] t) =>
        Enumerable.Range(0, Math.Max(0, t.Length - 1)).Select(i => (t[i], t[i + 1])).Distinct().Count() < t.Length - 1;

    [Fact]
    public void SamplingWithTopKOneIsGreedyAndSamplesAreScoredDistinctAndReproducible()
    {
        var model = new FakeSeq2Seq(Vocab, seed: 17);
        var top1 = new BeamSearch(model, new SearchOptions { Beam = 3, Sampling = true, TopK = 1 }).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
            Assert.Equal(Reference.Greedy(model, Sources[s], new SearchOptions().MaxLength(Sources[s].Length)), top1[s].Single().Tokens);

        var options = new SearchOptions { Beam = 8, NBest = 8, Sampling = true, TopP = 0.9, Temperature = 1.5, Seed = 42 };
        var first = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        var again = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        for (int s = 0; s < Sources.Length; s++)
        {
            Assert.Equal(first[s].Select(h => h.Tokens), again[s].Select(h => h.Tokens));
            Assert.Equal(first[s].Count, first[s].Select(h => string.Join(",", h.Tokens)).Distinct().Count());
            Assert.Equal(first[s].OrderByDescending(h => h.Score), first[s]);
            foreach (var h in first[s]) Reference.AssertClose(Reference.LogProb(model, Sources[s], h.Tokens, 1.5), h.LogProb);
        }
        Assert.True(first.Any(n => n.Count > 1), "eight samples with top-p 0.9 should not all coincide");
    }

    [Fact]
    public void SearchOnlyEncodesOnceStepsAtMostMaxLengthPlusOneAndDropsFinishedSentences()
    {
        var model = new FakeSeq2Seq(Vocab, seed: 21);
        var options = new SearchOptions { Beam = 4, MaxLenA = 0, MaxLenB = 30 };
        new BeamSearch(model, options).Search(Reference.Batch(Sources));
        Assert.Equal(1, model.EncodeCalls);
        Assert.InRange(model.StepCalls, 1, 31);
        Assert.Equal(Sources.Length * 4, model.RowsPerStep[0]);
        Assert.True(model.RowsPerStep.Zip(model.RowsPerStep.Skip(1)).All(p => p.Second <= p.First));
        Assert.True(model.RowsPerStep[^1] < model.RowsPerStep[0], "finished sentences must leave the batch");
    }

    [Theory]
    [InlineData(0, 1, 1.0, 1.0, "Beam", "Beam must be at least 1, got 0")]
    [InlineData(2, 3, 1.0, 1.0, "NBest", "NBest must be between 1 and Beam (2), got 3")]
    [InlineData(4, 1, 0.0, 1.0, "Temperature", "Temperature must be a positive number, got 0")]
    [InlineData(4, 1, -1.0, 1.0, "Temperature", "Temperature must be a positive number, got -1")]
    [InlineData(4, 1, 1.0, 1.5, "TopP", "TopP must be in (0, 1], got 1.5")]
    public void BadOptionsNameTheirField(int beam, int nbest, double temperature, double topP, string field, string message)
    {
        var options = new SearchOptions { Beam = beam, NBest = nbest, Temperature = temperature, TopP = topP, Sampling = topP != 1.0 };
        var error = Assert.Throws<InvalidOption>(() => new BeamSearch(new FakeSeq2Seq(Vocab), options));
        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void AFieldNamedInTheProblemIsRenderedLikeTheWrongOne()
    {
        var error = Assert.Throws<InvalidOption>(() => new SearchOptions { TopK = 5 }.Validate());
        Assert.Equal("TopK", error.Field);
        Assert.Equal("<TopK> and <TopP> need <Sampling>", error.Render(field => $"<{field}>"));
    }
}
