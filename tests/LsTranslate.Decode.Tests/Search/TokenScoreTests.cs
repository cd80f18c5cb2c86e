using System.Text;
using LsTranslate.Decode.Search;
using LsTranslate.Model.Transformer;
using TorchSharp;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

public class TokenScoreTests
{
    const int Vocab = 7;
    static readonly long[][] Sources = [[4, 5, 6], [6], [5, 5, 4, 6, 4]];

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.7)]
    public void ForcedLogProbsAreEachTokensProbabilityAndAddUpToTheSearchsLogProb(double temperature)
    {
        var model = new FakeSeq2Seq(Vocab, seed: 21);
        var options = new SearchOptions { Beam = 3, NBest = 3, Temperature = temperature };
        var found = new BeamSearch(model, options).Search(Reference.Batch(Sources));
        var rows = found.SelectMany((n, s) => n.Select(h => (Source: Sources[s], h))).ToList();
        var forced = ForcedDecoding.TokenLogProbs(model, Reference.Batch(rows.Select(r => r.Source).ToArray()), rows.Select(r => r.h.Tokens).ToList(), temperature);
        for (int r = 0; r < rows.Count; r++)
        {
            var (source, hypothesis) = rows[r];
            Assert.Equal(hypothesis.Tokens.Length + 1, forced[r].Length);
            Reference.AssertClose(hypothesis.LogProb, forced[r].Sum());
            Reference.AssertClose(Reference.LogProb(model, source, hypothesis.Tokens, temperature), forced[r].Sum());
            var prefix = new List<long> { SpecialTokens.Bos };
            for (int i = 0; i < hypothesis.Tokens.Length; i++)
            {
                Reference.AssertClose(Reference.LogProbs(model, source, prefix, temperature)[hypothesis.Tokens[i]], forced[r][i]);
                prefix.Add(hypothesis.Tokens[i]);
            }
        }
    }

    public static TheoryData<string, double> Searches => new()
    {
        { "greedy", 1.0 }, { "beam", 1.0 }, { "beam", 1.7 }, { "sampling", 1.3 }, { "sampling-filtered", 1.0 }, { "constrained", 0.8 },
    };

    static SearchOptions Options(string search, double temperature) => search switch
    {
        "greedy" => new SearchOptions { Beam = 1, Temperature = temperature },
        "beam" => new SearchOptions { Beam = 3, NBest = 3, Temperature = temperature },
        "sampling" => new SearchOptions { Beam = 2, NBest = 2, Sampling = true, Seed = 5, Temperature = temperature },
        // Filtered sampling draws among the best tokens but records each one's unfiltered probability.
        "sampling-filtered" => new SearchOptions { Beam = 2, NBest = 2, Sampling = true, TopK = 2, TopP = 0.6, Seed = 9, Temperature = temperature },
        // A minimum length and a forced EOS at the maximum: constraints rule tokens out, scores stay the model's own.
        _ => new SearchOptions { Beam = 2, NBest = 2, MinLen = 2, MaxLenA = 0, MaxLenB = 3, Temperature = temperature },
    };

    [Theory]
    [MemberData(nameof(Searches))]
    public void SearchRecordsTheLogProbTheForcedPassGivesEachToken(string search, double temperature)
    {
        var model = new FakeSeq2Seq(Vocab, seed: 33);
        AssertSearchMatchesForcedPass(model, Reference.Batch(Sources), Options(search, temperature));
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(4, 1.4)]
    public void ARealNetworkInFp32ScoresItsTokensInSearchAsInTheForcedPass(int beam, double temperature)
    {
        torch.manual_seed(3);
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 50));
        model.ForInference();
        var sources = torch.randint(4, 50, [5, 9], dtype: torch.int64);
        sources[1, 6..] = torch.tensor(SpecialTokens.Pad); // padding must not leak into either pass
        AssertSearchMatchesForcedPass(model, sources, new SearchOptions { Beam = beam, NBest = beam, Temperature = temperature }, 1e-4);
    }

    static void AssertSearchMatchesForcedPass(IIncrementalSeq2Seq model, torch.Tensor sources, SearchOptions options, double tolerance = 1e-5)
    {
        var found = new BeamSearch(model, options).Search(sources);
        var rows = found.SelectMany((n, s) => n.Select(h => (Source: (long)s, h))).ToList();
        Assert.NotEmpty(rows);
        var forced = ForcedDecoding.TokenLogProbs(model, sources, rows.Select(r => r.h.Tokens).ToList(), options.Temperature,
            rows.Select(r => r.Source).ToArray());
        for (int r = 0; r < rows.Count; r++)
        {
            var searched = rows[r].h.TokenLogProbs;
            Assert.Equal(forced[r].Length, searched.Length);
            for (int i = 0; i < searched.Length; i++)
                Assert.True(Math.Abs(forced[r][i] - searched[i]) <= tolerance,
                    $"hypothesis {r} token {i}: search {searched[i]} vs forced {forced[r][i]}");
            Assert.Equal(rows[r].h.LogProb, searched.Sum(p => (double)p), tolerance * searched.Length);
        }
    }

    /// <summary>One token per UTF-8 byte: the worst case for pieces, as byte-level BPE can split a character.</summary>
    sealed class ByteTokenizer : ISubwordTokenizer
    {
        public int VocabSize => 260;
        public int[] Encode(string text) => Encoding.UTF8.GetBytes(text).Select(b => b + 4).ToArray();
        public string Decode(IEnumerable<int> ids) => Encoding.UTF8.GetString(ids.Where(i => i >= 4).Select(i => (byte)(i - 4)).ToArray());
    }

    [Fact]
    public void APieceNeverEndsInsideACharacterAndItsProbabilityIsTheProductOfItsTokens()
    {
        var tokenizer = new ByteTokenizer();
        var tokens = tokenizer.Encode("Gr€ße ö");
        var logProbs = tokens.Select((_, i) => Math.Log(0.5 + 0.04 * i)).Append(Math.Log(0.9)).ToArray();
        var pieces = TokenScore.Pieces(tokenizer, tokens, logProbs);

        Assert.Equal(["G", "r", "€", "ß", "e", " ", "ö", TokenScore.EndOfSentence], pieces.Select(p => p.Text));
        Assert.Equal(Math.Exp(logProbs[2] + logProbs[3] + logProbs[4]), pieces[2].Probability, 12); // € is three bytes
        Assert.Equal(Math.Exp(logProbs[5] + logProbs[6]), pieces[3].Probability, 12); // ß two
        Assert.Equal(0.9, pieces[^1].Probability, 12);
        Assert.Equal("Gr€ße ö", string.Concat(pieces.SkipLast(1).Select(p => p.Text)));
    }
}
