namespace LsTranslate.Decode.Search;

/// <summary>
/// One finished translation: target ids without BOS/EOS, and its score — the summed log-probability
/// (at the search temperature, EOS included) divided by the length penalty. Higher is better.
/// </summary>
public sealed record Hypothesis(int[] Tokens, double Score, double LogProb);
