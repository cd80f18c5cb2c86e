using System.Text;

namespace LsTranslate.Metrics.Tokenizers;

/// <summary>sacreBLEU's "char": every code point (surrogate pairs kept whole) is a token.</summary>
public sealed class TokenizerChar : BleuTokenizer
{
    public override string Name => "char";

    public override void Tokenize(ReadOnlySpan<char> line, CharBuffer output)
    {
        output.Clear();
        int i = 0;
        while (i < line.Length)
        {
            Rune.DecodeFromUtf16(line[i..], out _, out int used);
            if (i > 0) output.Append(' ');
            output.Append(line.Slice(i, used));
            i += used;
        }
    }
}
