namespace LsTranslate.Metrics;

/// <summary>A reusable growable char array, so tokenizing a corpus does not allocate per line.</summary>
public sealed class CharBuffer
{
    char[] _data = new char[256];

    public int Length { get; private set; }
    public ReadOnlySpan<char> Span => _data.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(char c)
    {
        if (Length == _data.Length) Array.Resize(ref _data, _data.Length * 2);
        _data[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (Length + text.Length > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + text.Length));
        text.CopyTo(_data.AsSpan(Length));
        Length += text.Length;
    }

    public override string ToString() => new(Span);
}
