namespace LsTranslate.Metrics.Tokenizers;

/// <summary>sacreBLEU's "none": the line as it is, split on whitespace only.</summary>
public sealed class TokenizerNone : BleuTokenizer
{
    public override string Name => "none";

    public override void Tokenize(ReadOnlySpan<char> line, CharBuffer output)
    {
        output.Clear();
        output.Append(line);
    }
}
