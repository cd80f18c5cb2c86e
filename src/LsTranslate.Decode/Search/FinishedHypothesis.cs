namespace LsTranslate.Decode.Search;

/// <summary>
/// One hypothesis search finished (ids; <see cref="TranslatedHypothesis"/> is it as text): target ids without BOS/EOS, and its score — the summed log-probability
/// (at the search temperature, EOS included) divided by the length penalty. Higher is better.
/// <see cref="TokenLogProbs"/> holds each token's own log-probability as search saw it (tokens.Length + 1, EOS's
/// last), so that per-token scores need no second pass.
/// </summary>
public sealed record FinishedHypothesis(int[] Tokens, double Score, double LogProb, float[] TokenLogProbs);
