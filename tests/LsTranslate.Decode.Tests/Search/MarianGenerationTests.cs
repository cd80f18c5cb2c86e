using LsTranslate.Decode.Search;
using LsTranslate.Model.Marian;
using LsTranslate.Tests;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

/// <summary>
/// Greedy and beam search of imported MarianMT models against Hugging Face's generate (the reference in
/// <see cref="MarianFixtures"/>): the model's own defaults (beam 4, its length penalty, max_length 48, renormalized
/// log-probabilities, Hugging Face's stopping rule), batched and padded as decode runs, fp32.
/// </summary>
public class MarianGenerationTests : TempFolderTest
{
    public static TheoryData<string, string> Runs => new()
    {
        { "shared-swish", "greedy" }, { "shared-swish", "beam" },
        { "separate-swish", "greedy" }, { "separate-swish", "beam" },
        { "shared-relu", "greedy" }, { "shared-relu", "beam" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void OutputsAreHuggingFacesIdsAndText(string model, string run)
    {
        var dir = MarianImport.Run(MarianFixtures.Model(model), Path.Combine(Root, model), overwrite: false, TextWriter.Null);
        using var loaded = dir.Load();
        var tokenizer = (MarianTokenizer)loaded.Tokenizer;
        var options = SearchOptions.For(loaded.Config);
        if (run == "greedy") options = options with { Beam = 1 };
        var cases = MarianFixtures.Expected(model).GetProperty(run).EnumerateArray().ToList();
        var lines = MarianFixtures.Inputs();
        var sources = cases.Select(c => tokenizer.Encode(lines[c.GetProperty("line").GetInt32()]).Select(id => (long)id).ToArray()).ToArray();
        var search = new BeamSearch(loaded.Model, options);
        var found = sources.Chunk(16).SelectMany(batch => search.Search(Reference.Batch(batch))).ToArray();
        var differing = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            var best = found[i][0];
            // Hugging Face's ids end with EOS; ours stop before it.
            var expected = MarianFixtures.Ints(cases[i].GetProperty("ids")).Select(m => Array.IndexOf(tokenizer.TargetVocabulary.MarianIds, m, 1)).ToList();
            if (expected.Count > 0 && expected[^1] == SpecialTokens.Eos) expected.RemoveAt(expected.Count - 1);
            string text = tokenizer.Decode(best.Tokens);
            if (!best.Tokens.SequenceEqual(expected) || text != cases[i].GetProperty("text").GetString())
                differing.Add($"line {cases[i].GetProperty("line")}: ours {best.Tokens.Length} tokens '{text[..Math.Min(50, text.Length)]}', expected {expected.Count}");
            else if (run == "beam" && Math.Abs(best.Score - cases[i].GetProperty("score").GetDouble()) > 1e-4)
                differing.Add($"line {cases[i].GetProperty("line")}: score {best.Score} expected {cases[i].GetProperty("score").GetDouble()}");
        }
        Assert.True(cases.Count >= 90);
        Assert.True(differing.Count == 0, $"{differing.Count} of {cases.Count} differ:\n" + string.Join("\n", differing.Take(10)));
    }
}
