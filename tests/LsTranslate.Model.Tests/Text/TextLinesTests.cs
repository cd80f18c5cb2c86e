using System.Text;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Model.Tests.Text;

public class TextLinesTests
{
    private static List<string> Lines(byte[] bytes) => TextLines.Read(new MemoryStream(bytes), "in.txt").ToList();

    [Fact]
    public void KeepsEmptyLinesTabsAndSpacesAndStripsOnlyLineEnds()
    {
        var lines = Lines(Encoding.UTF8.GetBytes("a\tb \r\n\n  x\r\nlast"));
        Assert.Equal(["a\tb ", "", "  x", "last"], lines);
    }

    [Fact]
    public void FinalNewlineDoesNotAddAnEmptyLine()
    {
        Assert.Equal(["one", "two"], Lines(Encoding.UTF8.GetBytes("one\ntwo\n")));
        Assert.Empty(Lines([]));
    }

    [Fact]
    public void LinesLongerThanTheReadChunkSurviveIntact()
    {
        var longLine = string.Concat(Enumerable.Repeat("äöü€😀 ", 40_000));
        Assert.Equal([longLine, "end"], Lines(Encoding.UTF8.GetBytes(longLine + "\nend\n")));
    }

    [Fact]
    public void InvalidUtf8NamesTheLine()
    {
        var bytes = Encoding.UTF8.GetBytes("fine\nalso fine\nbad ").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        var error = Assert.Throws<InputError>(() => Lines(bytes));
        Assert.StartsWith("in.txt:3: invalid UTF-8", error.Message);
    }

    [Fact]
    public void LeadingByteOrderMarkIsDropped()
    {
        Assert.Equal(["x"], Lines([0xEF, 0xBB, 0xBF, (byte)'x']));
    }
}
