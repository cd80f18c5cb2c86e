using LsTranslate.Model.Corpora;

namespace LsTranslate.Model.Tests.Text;

public sealed class ParallelCorpusTests : IDisposable
{
    private readonly TextTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string ErrorOf(CorpusSource source) =>
        Assert.Throws<InputError>(() => ParallelCorpus.Read(source).ToList()).Message;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsTsvPlainOrGzipWithCrlf(bool gzip)
    {
        // The name lies about the compression on purpose: detection is by content.
        var path = _files.Write("corpus.txt", "Hello\tHallo\r\nA  b\tc\n", gzip);
        var pairs = ParallelCorpus.Read(CorpusSource.FromTsv(path)).ToList();
        Assert.Equal([new SentencePair("Hello", "Hallo", path, 1), new SentencePair("A  b", "c", path, 2)], pairs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadsAPipeThatCannotSeekBack(bool gzip)
    {
        // A FIFO stands for <(zcat …): the first bytes, read to tell gzip from text, cannot be read again from it.
        var content = File.ReadAllBytes(_files.Write("content", "Hello\tHallo\nA\tb\n", gzip));
        var fifo = Path.Combine(_files.Dir, "fifo");
        System.Diagnostics.Process.Start("mkfifo", fifo).WaitForExit();
        var writer = Task.Run(() => File.WriteAllBytes(fifo, content));
        var pairs = ParallelCorpus.Read(CorpusSource.FromTsv(fifo)).ToList();
        await writer;
        Assert.Equal([new SentencePair("Hello", "Hallo", fifo, 1), new SentencePair("A", "b", fifo, 2)], pairs);
    }

    [Fact]
    public void ReadsAlignedFilesOneGzipped()
    {
        var src = _files.Write("train.en.gz", "one\ntwo\n", gzip: true);
        var tgt = _files.Write("train.de", "eins\nzwei");
        var pairs = ParallelCorpus.Read(CorpusSource.Aligned(src, tgt)).ToList();
        Assert.Equal([("one", "eins", 1L), ("two", "zwei", 2L)], pairs.Select(p => (p.Source, p.Target, p.Line)));
    }

    [Fact]
    public void ReadsTheDefaultDevSet()
    {
        var pairs = ParallelCorpus.Read(CorpusSource.FromTsv(TextTestFiles.Corpus("dev.tsv.gz"))).ToList();
        Assert.Equal(1203, pairs.Count);
        Assert.All(pairs, p => Assert.False(p.Source.Length == 0 || p.Target.Length == 0));
    }

    [Theory]
    [InlineData("a\tb\nno tab here\n", 2, "found no tab")]
    [InlineData("a\tb\nx\ty\tz\n", 2, "exactly one tab, found 2")]
    [InlineData("a\tb\n\tb\n", 2, "empty source side")]
    [InlineData("a\tb\nc\td\ne\t\r\n", 3, "empty target side")]
    [InlineData("a\tb\n\n", 2, "found no tab")]
    public void BadTsvLinesNameFileAndLine(string text, int line, string problem)
    {
        var path = _files.Write("bad.tsv", text);
        var message = ErrorOf(CorpusSource.FromTsv(path));
        Assert.StartsWith($"{path}:{line}: ", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void InvalidUtf8InsideGzipNamesFileAndLine()
    {
        var bytes = "ok\tgut\n"u8.ToArray().Concat(new byte[] { (byte)'x', 0xFF, (byte)'\t', (byte)'y', (byte)'\n' }).ToArray();
        var path = _files.Write("bad.tsv.gz", bytes, gzip: true);
        Assert.StartsWith($"{path}:2: invalid UTF-8", ErrorOf(CorpusSource.FromTsv(path)));
    }

    [Fact]
    public void TruncatedGzipIsAnInputError()
    {
        var path = _files.Write("whole.tsv.gz", string.Concat(Enumerable.Range(0, 5000).Select(i => $"s{i}\tt{i}\n")), gzip: true);
        var bytes = File.ReadAllBytes(path);
        var cut = _files.Write("cut.tsv.gz", bytes[..(bytes.Length / 2)]);
        Assert.StartsWith($"{cut}:", ErrorOf(CorpusSource.FromTsv(cut)));
    }

    [Theory]
    [InlineData("1\n2\n3\n", "1\n2\n3\n4\n5\n", 3, 5)]
    [InlineData("1\n2\n3\n", "1\n2\n", 3, 2)]
    public void AlignedFilesOfDifferentLengthNameBothFilesAndCounts(string source, string target, int sourceLines, int targetLines)
    {
        var src = _files.Write("a.en", source);
        var tgt = _files.Write("a.de", target);
        var message = ErrorOf(CorpusSource.Aligned(src, tgt));
        Assert.Contains($"{src} has {sourceLines} lines", message);
        Assert.Contains($"{tgt} has {targetLines}", message);
    }

    [Fact]
    public void EmptyLineInAlignedTargetNamesTheTargetFile()
    {
        var src = _files.Write("c.en", "1\n2\n");
        var tgt = _files.Write("c.de", "1\n\n");
        Assert.StartsWith($"{tgt}:2: empty target side", ErrorOf(CorpusSource.Aligned(src, tgt)));
    }

    [Fact]
    public void EmptyCorpusIsAnError()
    {
        var path = _files.Write("empty.tsv", "");
        Assert.Contains("no sentence pairs", ErrorOf(CorpusSource.FromTsv(path)));
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var path = Path.Combine(_files.Dir, "nope.tsv");
        Assert.Equal($"{path}: file not found", ErrorOf(CorpusSource.FromTsv(path)));
        var src = _files.Write("d.en", "x\n");
        Assert.Equal($"{path}: file not found", ErrorOf(CorpusSource.Aligned(src, path)));
    }
}
