using LsTranslate.Decode.Search;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

/// <summary>
/// The length penalty against numbers worked out by hand, not against <see cref="SearchOptions.Penalty"/> itself:
/// GNMT's ((5 + |y|) / 6)^α (Wu et al. 2016, eq. 14) and fairseq's |y|^α, and the scores and order of a beam's
/// n-best on a model whose probabilities are written down.
/// </summary>
public class LengthPenaltyTests
{
    [Theory]
    [InlineData(LengthPenaltyStyle.Gnmt, 0.6, 1, 1.0)]                  // (6/6)^0.6
    [InlineData(LengthPenaltyStyle.Gnmt, 1.0, 4, 1.5)]                  // 9/6
    [InlineData(LengthPenaltyStyle.Gnmt, 2.0, 10, 6.25)]                // (15/6)^2 = 2.5^2
    [InlineData(LengthPenaltyStyle.Gnmt, 0.6, 7, 1.515716566510398)]    // 2^0.6
    [InlineData(LengthPenaltyStyle.Gnmt, 0.6, 19, 2.29739670999407)]    // 4^0.6
    [InlineData(LengthPenaltyStyle.Gnmt, 0.5, 31, 2.449489742783178)]   // 6^0.5
    [InlineData(LengthPenaltyStyle.Gnmt, 0.0, 30, 1.0)]                 // α = 0: no penalty
    [InlineData(LengthPenaltyStyle.Fairseq, 1.0, 5, 5.0)]
    [InlineData(LengthPenaltyStyle.Fairseq, 0.5, 9, 3.0)]
    [InlineData(LengthPenaltyStyle.Fairseq, 2.0, 3, 9.0)]
    [InlineData(LengthPenaltyStyle.Fairseq, 0.6, 32, 8.0)]              // 2^(5·0.6)
    [InlineData(LengthPenaltyStyle.Fairseq, 0.0, 30, 1.0)]
    public void PenaltyIsTheTextbookFormula(LengthPenaltyStyle style, double alpha, int scoredTokens, double expected)
    {
        var options = new SearchOptions { LengthPenalty = alpha, LengthPenaltyStyle = style };
        Assert.Equal(expected, options.Penalty(scoredTokens), 12);
    }

    // ids: PAD 0, BOS 1, EOS 2, UNK 3, then the two words A and B. Outputs are at most one word long (max length 0·|x| + 1),
    // so the n-best are all three outputs: "" (EOS only, |y| = 1), "A" and "B" (|y| = 2, EOS counted, fairseq's convention).
    const int A = 4, B = 5;
    //                                  after: BOS (first step)                 A                      B
    static readonly Dictionary<int, (double Eos, double A, double B)> Next = new()
    {
        [SpecialTokens.Bos] = (0.40, 0.45, 0.15),
        [A] = (0.80, 0.10, 0.10),
        [B] = (0.50, 0.25, 0.25),
    };
    // Summed log-probabilities, EOS included: log 0.4; log(0.45·0.8) = log 0.36; log(0.15·0.5) = log 0.075.
    const double LogEmpty = -0.916290731874155, LogA = -1.0216512475319812, LogB = -2.5902671654458267;

    public static TheoryData<LengthPenaltyStyle, double, string, double[]> BeamCases => new()
    {
        // α = 0: the plain log-probabilities; the empty output wins.
        { LengthPenaltyStyle.Gnmt, 0.0, "|A|B", [LogEmpty, LogA, LogB] },
        // GNMT α = 0.6: "A" is divided by (7/6)^0.6 = 1.0969026199: -0.9313965, still just below -0.9162907.
        { LengthPenaltyStyle.Gnmt, 0.6, "|A|B", [LogEmpty, -0.9313964877021852, -2.3614376686120733] },
        // GNMT α = 1: (7/6) makes "A" -0.8757011 and puts it first.
        { LengthPenaltyStyle.Gnmt, 1.0, "A||B", [-0.8757010693131267, LogEmpty, -2.2202289989535657] },
        // fairseq α = 1: the mean log-probability per scored token.
        { LengthPenaltyStyle.Fairseq, 1.0, "A||B", [LogA / 2, LogEmpty, LogB / 2] },
    };

    [Theory]
    [MemberData(nameof(BeamCases))]
    public void BeamScoresAreTheHandComputedPenalisedLogProbabilities(LengthPenaltyStyle style, double alpha, string order, double[] scores)
    {
        var options = new SearchOptions { Beam = 3, NBest = 3, MaxLenA = 0, MaxLenB = 1, LengthPenalty = alpha, LengthPenaltyStyle = style };
        var found = new BeamSearch(new ScriptedSeq2Seq(), options).Search(Reference.Batch([A, B]))[0];
        Assert.Equal(order, string.Join("|", found.Select(h => string.Concat(h.Tokens.Select(t => t == A ? "A" : "B")))));
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(scores[i] - found[i].Score) < 1e-5, $"hypothesis {i}: expected {scores[i]}, got {found[i].Score}");
    }

    /// <summary>Next-token probabilities that depend only on the token fed last (<see cref="Next"/>).</summary>
    sealed class ScriptedSeq2Seq : IIncrementalSeq2Seq
    {
        public int VocabSize => 6;
        public int MaxPositions => 64;

        public IDecoderState Encode(Tensor sourceIds) => new State(sourceIds.shape[0]);

        public Tensor Step(Tensor previousTokens, IDecoderState state)
        {
            var previous = previousTokens.cpu().data<long>().ToArray();
            var logits = new float[previous.Length * VocabSize];
            for (int r = 0; r < previous.Length; r++)
            {
                var (eos, a, b) = Next.TryGetValue((int)previous[r], out var p) ? p : (1 / 3.0, 1 / 3.0, 1 / 3.0);
                // PAD, BOS and UNK get e^-10000 = 0 in float32: the three listed probabilities are the whole distribution.
                float[] row = [-10_000f, -10_000f, (float)Math.Log(eos), -10_000f, (float)Math.Log(a), (float)Math.Log(b)];
                row.CopyTo(logits, r * VocabSize);
            }
            ((State)state).Length++;
            return torch.tensor(logits, [previous.Length, VocabSize], device: previousTokens.device);
        }

        sealed class State(long rows) : IDecoderState
        {
            public long Rows { get; private set; } = rows;
            public int Length { get; set; }
            public void Reorder(RowOrder order) => Rows = order.Rows.Length;
            public void Dispose() { }
        }
    }
}
