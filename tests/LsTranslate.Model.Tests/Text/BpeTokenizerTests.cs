using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Text;

public sealed class BpeTokenizerTests(BpeTokenizerFixture bpe) : IClassFixture<BpeTokenizerFixture>, IDisposable
{
    private readonly TextTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void LearnsTheRequestedVocabularyWithSpecialsThenBytes()
    {
        Assert.Equal(BpeTokenizerFixture.VocabSize, bpe.Tokenizer.VocabSize);
        var vocab = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(bpe.Dir, "vocab.json")))!;
        Assert.Equal(BpeTokenizerFixture.VocabSize, vocab.Count);
        Assert.Equal(SpecialTokens.Names, vocab.Where(kv => kv.Value < 4).OrderBy(kv => kv.Value).Select(kv => kv.Key));
        Assert.Equal(4 + 'a', vocab["a"]);
        Assert.Equal(4 + ' ', vocab["Ġ"]);
        int merges = File.ReadLines(Path.Combine(bpe.Dir, "merges.txt")).Count() - 1;
        Assert.Equal(BpeTokenizerFixture.VocabSize - 260, merges);
    }

    [Fact]
    public void MergesShortenCommonText()
    {
        var ids = bpe.Tokenizer.Encode("The file is saved in the directory.");
        Assert.True(ids.Length < 15, $"{ids.Length} tokens");
        Assert.All(ids, id => Assert.InRange(id, 4, bpe.Tokenizer.VocabSize - 1));
    }

    [Fact]
    public void RoundTripsTheWholeDevSet()
    {
        foreach (var pair in ParallelCorpus.Read(CorpusSource.FromTsv(TextTestFiles.Corpus("dev.tsv.gz"))))
        {
            Assert.Equal(pair.Source, bpe.Tokenizer.Decode(bpe.Tokenizer.Encode(pair.Source)));
            Assert.Equal(pair.Target, bpe.Tokenizer.Decode(bpe.Tokenizer.Encode(pair.Target)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   leading and trailing   ")]
    [InlineData("tabs\tinside\t\ttext\t")]
    [InlineData("東京は日本の首都です。")]
    [InlineData("emoji 😀👍🏽 and a family 👨‍👩‍👧")]
    [InlineData("combining: e\u0301 n\u0303 a\u030a\u0323 and precomposed é")]
    [InlineData("Ελληνικά, русский, עברית, العربية")]
    [InlineData("<s> </s> <pad> <unk> are just text here")]
    [InlineData("zero\u200bwidth\u00a0nbsp\u3000ideographic space\r")]
    [InlineData("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP 𠀋")]
    public void RoundTripsOddUnicode(string text)
    {
        var ids = bpe.Tokenizer.Encode(text);
        Assert.DoesNotContain(ids, id => id < 4);
        Assert.Equal(text, bpe.Tokenizer.Decode(ids));
    }

    [Fact]
    public void DecodeSkipsSpecialIds()
    {
        var ids = bpe.Tokenizer.Encode("Hallo Welt");
        Assert.Equal("Hallo Welt", bpe.Tokenizer.Decode([SpecialTokens.Bos, .. ids, SpecialTokens.Eos, SpecialTokens.Pad]));
    }

    [Fact]
    public void ReloadedFilesGiveIdenticalIds()
    {
        var reloaded = SubwordTokenizers.Load(bpe.Dir);
        Assert.Equal(bpe.Tokenizer.VocabSize, reloaded.VocabSize);
        foreach (var text in bpe.Texts.Take(300))
            Assert.Equal(bpe.Tokenizer.Encode(text), reloaded.Encode(text));
    }

    [Fact]
    public void LearningIsDeterministic()
    {
        var texts = bpe.Texts.Take(400).ToList();
        SubwordTokenizers.LearnBpe(texts, 500, Path.Combine(_files.Dir, "one"));
        SubwordTokenizers.LearnBpe(texts, 500, Path.Combine(_files.Dir, "two"));
        foreach (var file in new[] { "vocab.json", "merges.txt" })
            Assert.Equal(File.ReadAllText(Path.Combine(_files.Dir, "one", file)), File.ReadAllText(Path.Combine(_files.Dir, "two", file)));
    }

    [Fact]
    public void StopsEarlyWhenNoPairRepeats()
    {
        var tokenizer = SubwordTokenizers.LearnBpe(["abab"], 1000, Path.Combine(_files.Dir, "tiny"));
        // "ab" occurs twice; after merging it, "ab ab" occurs once, so learning stops with one merge.
        Assert.Equal(261, tokenizer.VocabSize);
        Assert.Equal([261 - 1, 261 - 1], tokenizer.Encode("abab"));
    }

    [Fact]
    public void TooSmallVocabularyIsAnInputError()
    {
        var error = Assert.Throws<InputError>(() => SubwordTokenizers.LearnBpe(["x"], 100, Path.Combine(_files.Dir, "small")));
        Assert.Contains("at least 260", error.Message);
    }

    [Fact]
    public void LoadingADirectoryWithoutTokenizerNamesIt()
    {
        var error = Assert.Throws<InputError>(() => SubwordTokenizers.Load(_files.Dir));
        Assert.StartsWith($"{_files.Dir}: no tokenizer here", error.Message);
    }

    [Fact]
    public void BrokenMergesFileNamesTheLine()
    {
        var dir = Path.Combine(_files.Dir, "broken");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(bpe.Dir, "vocab.json"), Path.Combine(dir, "vocab.json"));
        _files.Write("broken/merges.txt", "#version: 0.2\ne n\nnot-a-merge\n");
        var error = Assert.Throws<InputError>(() => SubwordTokenizers.Load(dir));
        Assert.StartsWith($"{Path.Combine(dir, "merges.txt")}:3: ", error.Message);
    }

    [Fact]
    public void BrokenVocabFileIsAnInputError()
    {
        var dir = Path.Combine(_files.Dir, "badvocab");
        Directory.CreateDirectory(dir);
        _files.Write("badvocab/vocab.json", "{\"<pad>\": 0,\n oops");
        _files.Write("badvocab/merges.txt", "#version: 0.2\n");
        var error = Assert.Throws<InputError>(() => SubwordTokenizers.Load(dir));
        Assert.StartsWith($"{Path.Combine(dir, "vocab.json")}:2: ", error.Message);
    }
}
