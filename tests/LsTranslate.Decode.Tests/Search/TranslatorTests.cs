using LsTranslate.Decode.Search;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Tests.Search;

public class TranslatorTests
{
    /// <summary>Letters a, b, c, d are ids 3..6; other characters are dropped.</summary>
    sealed class LetterTokenizer : ISubwordTokenizer
    {
        public int VocabSize => 7;
        public int[] Encode(string text) => text.Where(c => c is >= 'a' and <= 'd').Select(c => c - 'a' + 3).ToArray();
        public string Decode(IEnumerable<int> ids) => new(ids.Where(i => i >= 3).Select(i => (char)('a' + i - 3)).ToArray());
    }

    static readonly string[] Lines = ["abc", "", "d", "abcdab", "ba", "", "cc", "dabc", "a"];

    [Fact]
    public void KeepsLineOrderAndEmptyLinesAndMatchesSentenceBySentenceSearch()
    {
        var model = new FakeSeq2Seq(7, seed: 23);
        var options = new SearchOptions { Beam = 3, NBest = 2 };
        var batching = new BatchingOptions { BatchSize = 2, MaxTokens = 9, ChunkLines = 4 };
        var lines = new Translator(model, new LetterTokenizer(), options, batching).Translate(Lines).ToList();

        Assert.Equal(Enumerable.Range(0, Lines.Length).Select(i => (long)i), lines.Select(l => l.Index));
        for (int i = 0; i < Lines.Length; i++)
        {
            if (Lines[i].Length == 0)
            {
                Assert.Equal("", lines[i].NBest.Single().Text);
                continue;
            }
            long[] source = [.. new LetterTokenizer().Encode(Lines[i]).Select(t => (long)t)]; // no source EOS, as in training
            var alone = new BeamSearch(model, options).Search(Reference.Batch(source))[0];
            Assert.Equal(alone.Select(h => h.Tokens), lines[i].NBest.Select(h => h.Tokens));
            Assert.Equal(new LetterTokenizer().Decode(alone[0].Tokens), lines[i].Text);
        }
    }

    [Fact]
    public void StreamsChunkByChunkWithoutReadingTheWholeInput()
    {
        static IEnumerable<string> Endless()
        {
            for (long i = 0; ; i++) yield return i % 3 == 0 ? "" : "abcd"[..(int)(1 + i % 4)];
        }
        var translator = new Translator(new FakeSeq2Seq(7), new LetterTokenizer(), new SearchOptions { Beam = 2 },
            new BatchingOptions { ChunkLines = 5 });
        Assert.Equal(7, translator.Translate(Endless()).Take(7).Count());
    }
}
