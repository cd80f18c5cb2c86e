namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// One temperature's teacher-forced statistics per test sentence: its target tokens' summed NLL and, per reliability
/// bin, its tokens' Σ (correct − confidence). ECE = Σ_b |Σ_{tokens in b} (correct − confidence)| / n, so these sums are
/// all a resample of sentences needs to have its NLL and ECE recomputed without another forward pass.
/// </summary>
public sealed record SentenceCalibration(double Temperature, double[] NllSums, double[][] BinGaps);

/// <summary>
/// A test set's teacher-forced calibration at several temperatures: over all tokens (what the report shows) and per
/// sentence (what the bootstrap resamples). SentenceTokens counts each sentence's target tokens, end of sentence included.
/// </summary>
public sealed record TestCalibration(int[] SentenceTokens, IReadOnlyList<TokenCalibration> Totals, IReadOnlyList<SentenceCalibration> Sentences)
{
    public TokenCalibration At(double temperature) => Totals.First(c => c.Temperature == temperature);

    public SentenceCalibration SentencesAt(double temperature) => Sentences.First(c => c.Temperature == temperature);
}
