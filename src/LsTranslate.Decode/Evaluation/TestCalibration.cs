namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// A test set's teacher-forced calibration at several temperatures: over all tokens (what the report shows) and per
/// sentence (what the bootstrap resamples). SentenceTokens counts each sentence's target tokens, end of sentence included.
/// </summary>
public sealed record TestCalibration(int[] SentenceTokens, IReadOnlyList<TokenCalibration> Totals, IReadOnlyList<SentenceCalibration> Sentences)
{
    public TokenCalibration At(double temperature) => Totals.First(c => c.Temperature == temperature);

    public SentenceCalibration SentencesAt(double temperature) => Sentences.First(c => c.Temperature == temperature);
}
