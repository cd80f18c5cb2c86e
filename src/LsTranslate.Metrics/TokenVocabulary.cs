namespace LsTranslate.Metrics;

/// <summary>Maps token text to small integer ids without allocating for tokens already seen.</summary>
sealed class TokenVocabulary
{
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TokenVocabulary() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int IdOf(ReadOnlySpan<char> token)
    {
        if (_lookup.TryGetValue(token, out int id)) return id;
        id = _ids.Count;
        _lookup[token] = id;
        return id;
    }

    /// <summary>Splits <paramref name="text"/> on Python whitespace and appends the token ids.</summary>
    public void SplitToIds(ReadOnlySpan<char> text, List<int> ids)
    {
        ids.Clear();
        while (true)
        {
            int skip = text.IndexOfAnyExcept(PythonText.Whitespace);
            if (skip < 0) return;
            text = text[skip..];
            int length = text.IndexOfAny(PythonText.Whitespace);
            if (length < 0) length = text.Length;
            ids.Add(IdOf(text[..length]));
            text = text[length..];
        }
    }
}
