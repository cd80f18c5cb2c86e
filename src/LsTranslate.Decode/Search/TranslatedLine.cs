namespace LsTranslate.Decode.Search;

/// <summary>One hypothesis as text, with its ids (no BOS/EOS) and its length-normalised score.</summary>
public sealed record TranslatedHypothesis(string Text, int[] Tokens, double Score);

/// <summary>
/// The translation of one input line: <see cref="Index"/> is its 0-based line number, <see cref="NBest"/>
/// best first (never empty: an empty line gives one empty hypothesis scored 0).
/// </summary>
public sealed record TranslatedLine(long Index, IReadOnlyList<TranslatedHypothesis> NBest)
{
    public string Text => NBest[0].Text;
}
