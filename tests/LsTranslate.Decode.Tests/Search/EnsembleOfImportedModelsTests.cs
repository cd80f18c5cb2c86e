using LsTranslate.Decode.Search;
using LsTranslate.Model.Marian;
using LsTranslate.Tests;

namespace LsTranslate.Decode.Tests.Search;

/// <summary>
/// An ensemble of two different real transformers (the relu and swish Marian fixtures: one vocabulary, different
/// weights) searched with beam 4 in a batch whose sentences end at different steps (their maximum lengths follow their
/// source lengths) and leave it as they do: every token of every hypothesis
/// carries the log of the mean of the two members' probabilities, each member fed the same prefix on its own
/// (<see cref="ForcedDecoding"/>). The members' decoder states are reordered together, by one row order, each step.
/// </summary>
public class EnsembleOfImportedModelsTests : TempFolderTest
{
    [Fact]
    public void EveryTokenScoreIsTheLogOfTheMembersMeanProbability()
    {
        using var relu = MarianImport.Run(MarianFixtures.Model("shared-relu"), Path.Combine(Root, "relu"), overwrite: false, TextWriter.Null).Load();
        using var swish = MarianImport.Run(MarianFixtures.Model("shared-swish"), Path.Combine(Root, "swish"), overwrite: false, TextWriter.Null).Load();
        // Twelve sources of different lengths (up to 30 tokens), so that their sentences end at different steps.
        var sources = MarianFixtures.Inputs().Select(line => relu.Tokenizer.Encode(line).Select(id => (long)id).ToArray())
            .Where(ids => ids.Length <= 30).DistinctBy(ids => ids.Length).Take(12).ToArray();
        var options = new SearchOptions { Beam = 4, NBest = 2, MaxLenA = 1, MaxLenB = 2 };
        var ensemble = new EnsembleSeq2Seq([relu.Model, swish.Model]);

        var found = new BeamSearch(ensemble, options).Search(Reference.Batch(sources));

        var rows = found.SelectMany((nbest, s) => nbest.Select(h => (Source: (long)s, Hypothesis: h))).ToList();
        Assert.Equal(sources.Length * options.NBest, rows.Count);
        Assert.True(rows.Select(r => r.Hypothesis.Tokens.Length).Distinct().Count() > 3, "the sentences should end at different steps");
        Assert.Equal(12, sources.Length);
        var targets = rows.Select(r => r.Hypothesis.Tokens).ToList();
        long[] sourceOfTarget = [.. rows.Select(r => r.Source)];
        var fromRelu = ForcedDecoding.TokenLogProbs(relu.Model, Reference.Batch(sources), targets, 1.0, sourceOfTarget);
        var fromSwish = ForcedDecoding.TokenLogProbs(swish.Model, Reference.Batch(sources), targets, 1.0, sourceOfTarget);
        for (int r = 0; r < rows.Count; r++)
        {
            var searched = rows[r].Hypothesis.TokenLogProbs;
            Assert.Equal(fromRelu[r].Length, searched.Length);
            for (int i = 0; i < searched.Length; i++)
            {
                double mean = Math.Log((Math.Exp(fromRelu[r][i]) + Math.Exp(fromSwish[r][i])) / 2);
                Assert.True(Math.Abs(mean - searched[i]) < 1e-4, $"hypothesis {r}, token {i}: search {searched[i]}, members' mean {mean}");
            }
        }
        Assert.NotEqual(fromRelu[0], fromSwish[0]); // the members really differ
    }
}
