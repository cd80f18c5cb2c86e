using LsTranslate.Model.Marian;
using LsTranslate.Tests;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Marian;

/// <summary>Token ids and decoded text against Hugging Face's MarianTokenizer (<see cref="MarianFixtures"/>), line by line.</summary>
public class MarianTokenizerTests
{
    public static TheoryData<string> Models => new(MarianFixtures.Models);

    [Theory]
    [MemberData(nameof(Models))]
    public void SourceAndTargetIdsAreHuggingFacesOnEveryLine(string model)
    {
        var tokenizer = new MarianTokenizer(MarianFixtures.Model(model));
        var expected = MarianFixtures.Expected(model);
        var lines = MarianFixtures.Inputs();
        var (sourceIds, targetIds) = (expected.GetProperty("source_ids").EnumerateArray().ToList(), expected.GetProperty("target_ids").EnumerateArray().ToList());
        Assert.True(lines.Length >= 500 && lines.Length == sourceIds.Count && lines.Length == targetIds.Count);
        var differing = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var source = tokenizer.Encode(lines[i]).Select(id => tokenizer.SourceVocabulary.MarianIds[id]).ToArray();
            // Hugging Face's target ids end with EOS; ours leave it to the batches.
            var target = tokenizer.EncodeTarget(lines[i]).Select(id => tokenizer.TargetVocabulary.MarianIds[id]).Append(tokenizer.TargetVocabulary.EosId).ToArray();
            if (!source.SequenceEqual(MarianFixtures.Ints(sourceIds[i])))
                differing.Add($"source line {i} '{Short(lines[i])}': ours [{string.Join(",", source.Take(12))}…] expected [{string.Join(",", MarianFixtures.Ints(sourceIds[i]).Take(12))}…]");
            // One known divergence: with separate vocabularies Hugging Face gives a "<pad>" written in a target text the
            // source vocabulary's pad id, past the end of the target vocabulary (its model would fail on it); ours is the target's pad.
            var expectedTarget = MarianFixtures.Ints(targetIds[i]).Select(id => id >= tokenizer.TargetVocabulary.MarianCount ? tokenizer.TargetVocabulary.PadId : id);
            if (!target.SequenceEqual(expectedTarget))
                differing.Add($"target line {i} '{Short(lines[i])}': ours [{string.Join(",", target.Take(12))}…] expected [{string.Join(",", MarianFixtures.Ints(targetIds[i]).Take(12))}…]");
        }
        Assert.True(differing.Count == 0, $"{differing.Count} differ:\n" + string.Join("\n", differing.Take(20)));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void DecodingTargetIdsGivesHuggingFacesText(string model)
    {
        var tokenizer = new MarianTokenizer(MarianFixtures.Model(model));
        var expected = MarianFixtures.Expected(model);
        var targetIds = expected.GetProperty("target_ids").EnumerateArray().ToList();
        var texts = expected.GetProperty("decoded_target").EnumerateArray().Select(e => e.GetString()!).ToList();
        var ours = tokenizer.TargetVocabulary;
        var differing = new List<string>();
        for (int i = 0; i < targetIds.Count; i++)
        {
            // Marian ids → ours: a Marian id our layout does not hold stays out (it is special, and decoding drops it).
            var ids = MarianFixtures.Ints(targetIds[i]).Select(m => Array.IndexOf(ours.MarianIds, m, SpecialTokens.Names.Length)).Where(id => id >= 0);
            string text = tokenizer.Decode(ids);
            if (text != texts[i]) differing.Add($"line {i}: ours '{Short(text)}' expected '{Short(texts[i])}'");
        }
        Assert.True(differing.Count == 0, $"{differing.Count} differ:\n" + string.Join("\n", differing.Take(20)));
    }

    static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
