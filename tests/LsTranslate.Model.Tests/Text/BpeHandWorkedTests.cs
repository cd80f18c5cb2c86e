using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Text;

/// <summary>
/// Byte-level BPE on a corpus small enough to learn by hand, and the exact ids it encodes to. Ids: 0..3 the special
/// tokens, 4 + b for byte b (a = 101, b = 102, c = 103, d = 104, space = 36, shown as Ġ), then merges in order from 260.
///
/// Corpus "abc abc abd" and "aaaaa". Pre-tokenization gives the words "abc", " abc", " abd", "aaaaa" (a space joins the
/// word after it). Pair counts, each adjacent pair counted (so "aaaaa" has (a, a) four times, as in Sennrich et al. and
/// Hugging Face's trainer): (a a) 4, (a b) 3, (b c) 2, (Ġ a) 2, (b d) 1.
///   1. a + a = "aa" (260): "aaaaa" becomes aa aa a.
///   2. a + b = "ab" (261): ab c, Ġ ab c, Ġ ab d.
///   3. (ab c) and (Ġ ab) both count 2: the tie goes to the smaller (left id, right id), Ġ = 36 before ab = 261,
///      so Ġ + ab = "Ġab" (262): ab c, Ġab c, Ġab d. Every pair now occurs once, so learning stops at 263 tokens.
/// </summary>
public sealed class BpeHandWorkedTests : IDisposable
{
    static readonly string[] Corpus = ["abc abc abd", "aaaaa"];
    readonly string dir = Directory.CreateTempSubdirectory("lst-bpe-hand-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void LearnsTheMergesWorkedOutByHand()
    {
        var model = BpeLearner.Learn(Corpus, 300);
        Assert.Equal([("a", "a"), ("a", "b"), ("Ġ", "ab")], model.Merges);
        Assert.Equal(263, model.Tokens.Count);
        Assert.Equal(["aa", "ab", "Ġab"], model.Tokens.Skip(260));
    }

    [Fact]
    public void AVocabularyLimitStopsAfterTheFirstMerges()
    {
        var model = BpeLearner.Learn(Corpus, 261);
        Assert.Equal([("a", "a")], model.Merges);
        Assert.Equal(261, model.Tokens.Count);
    }

    [Theory]
    [InlineData("aaaaa", new[] { 260, 260, 101 })]     // leftmost pairs first, no overlap: aa aa a
    [InlineData("aaa", new[] { 260, 101 })]
    [InlineData("aab", new[] { 260, 102 })]            // (a a) ranks before (a b): aa b, not a ab
    [InlineData("abc abd", new[] { 261, 103, 262, 104 })] // ab c | Ġab d
    [InlineData(" ab", new[] { 262 })]
    [InlineData("ba", new[] { 102, 101 })]             // no merge applies
    [InlineData("cab", new[] { 103, 261 })]
    [InlineData("é", new[] { 4 + 0xC3, 4 + 0xA9 })]     // an unseen character: its UTF-8 bytes
    [InlineData("a  a", new[] { 101, 36, 36, 101 })]   // the first space stands alone, the second joins "a" but Ġa was never merged
    public void EncodesToTheIdsWorkedOutByHand(string text, int[] ids)
    {
        var tokenizer = SubwordTokenizers.LearnBpe(Corpus, 300, dir);
        Assert.Equal(263, tokenizer.VocabSize);
        Assert.Equal(ids, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(ids));
    }
}
