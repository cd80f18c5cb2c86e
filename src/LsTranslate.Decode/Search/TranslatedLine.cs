using LsTranslate.Model.Transformer;
namespace LsTranslate.Decode.Search;

/// <summary>
/// One hypothesis as text, with its ids (no BOS/EOS), its length-normalised score and, when asked for, the
/// probability of each piece (<see cref="TokenScore.Pieces"/>).
/// </summary>
public sealed record TranslatedHypothesis(string Text, int[] Tokens, double Score, IReadOnlyList<TokenScore>? TokenScores = null);

/// <summary>
/// The translation of one input line: <see cref="Index"/> is its 0-based line number, <see cref="NBest"/>
/// best first (never empty: an empty line gives one empty hypothesis scored 0).
/// </summary>
public sealed record TranslatedLine(long Index, IReadOnlyList<TranslatedHypothesis> NBest)
{
    public string Text => NBest[0].Text;
}
