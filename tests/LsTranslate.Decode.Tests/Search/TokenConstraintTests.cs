using LsTranslate.Decode.Search;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

public class TokenConstraintTests
{
    const int Vocab = 8;

    static Tensor Uniform(int rows) => full(rows, Vocab, -Math.Log(Vocab), ScalarType.Float32);

    static bool[] Forbidden(Tensor logProbs, int row) => logProbs[row].isinf().data<bool>().ToArray();

    [Fact]
    public void EachConstraintForbidsOnlyItsTokens()
    {
        using var scope = NewDisposeScope();
        var never = new NeverGenerated().Apply(Uniform(1), new StepContext(0, null, null));
        Assert.Equal([true, true, false, false, false, false, false, false], Forbidden(never, 0)); // PAD 0, BOS 1

        var early = new MinimumLength(2).Apply(Uniform(1), new StepContext(1, null, null));
        Assert.True(Forbidden(early, 0)[SpecialTokens.Eos]);
        Assert.Equal(1, Forbidden(early, 0).Count(f => f));
        Assert.DoesNotContain(true, Forbidden(new MinimumLength(2).Apply(Uniform(1), new StepContext(2, null, null)), 0));

        var atMax = new EndAtMaximumLength(Vocab).Apply(Uniform(2), new StepContext(5, tensor(new[] { true, false }), null));
        Assert.Equal(Enumerable.Range(0, Vocab).Select(t => t != SpecialTokens.Eos).ToArray(), Forbidden(atMax, 0));
        Assert.DoesNotContain(true, Forbidden(atMax, 1));

        // Row 0 generated 4 5 4: the bigram (4, 5) exists, so after the final 4, token 5 is forbidden; row 1 has no repeat.
        var history = tensor(new long[,] { { 4, 5, 4 }, { 4, 5, 6 } });
        var repeat = new NoRepeatNgram(2, Vocab).Apply(Uniform(2), new StepContext(3, null, history));
        Assert.Equal(Enumerable.Range(0, Vocab).Select(t => t == 5).ToArray(), Forbidden(repeat, 0));
        Assert.DoesNotContain(true, Forbidden(repeat, 1));
    }

    [Fact]
    public void ReadbackGivesEachSentenceItsOwnTypedParts()
    {
        using var scope = NewDisposeScope();
        const int beam = 2;
        var next = new Candidates(
            Scores: tensor(new float[,] { { -2f, -4f }, { float.NegativeInfinity, float.NegativeInfinity } }),
            Beams: tensor(new long[,] { { 0, 1 }, { 1, 1 } }),
            Tokens: tensor(new long[,] { { 7, 3 }, { 16_000_001, 5 } }),
            TokenLogProbs: tensor(new float[,] { { -0.75f, -2.5f }, { -0.125f, -1f } }));
        var candidates = new Candidates(
            Scores: tensor(new float[,] { { -0.5f, -1.25f, -3f }, { -0.1f, -0.2f, -9f } }),
            Beams: tensor(new long[,] { { 1, 0, 0 }, { 0, 1, 1 } }),
            Tokens: tensor(new long[,] { { 9, 2, 9 }, { 2, 2, 4 } }),
            TokenLogProbs: tensor(new float[,] { { -0.25f, -0.0625f, -3f }, { -0.03125f, -0.5f, -9f } }));
        var readback = StepReadback.Read(next, candidates, ending: tensor(new bool[,] { { false, true }, { true, true } }), beam);
        Assert.Equal([0, 1], readback.ParentBeams(0));
        Assert.Equal([16_000_001, 5], readback.Tokens(1)); // ids below 2^24 stay exact in the float32 readback
        Assert.Equal([-0.125f, -1f], readback.TokenLogProbs(1));
        Assert.Equal([(0, -1.25f, -0.0625f)], readback.Ending(0));
        Assert.Equal([(0, -0.1f, -0.03125f), (1, -0.2f, -0.5f)], readback.Ending(1));
        Assert.Equal(-2f, readback.BestOpen(0));
        Assert.Equal(float.NegativeInfinity, readback.BestOpen(1));
    }
}
