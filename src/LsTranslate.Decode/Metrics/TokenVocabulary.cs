namespace LsTranslate.Decode.Metrics;

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
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && PythonText.IsSpace(text[i])) i++;
            int start = i;
            while (i < text.Length && !PythonText.IsSpace(text[i])) i++;
            if (i > start) ids.Add(IdOf(text[start..i]));
        }
    }
}
