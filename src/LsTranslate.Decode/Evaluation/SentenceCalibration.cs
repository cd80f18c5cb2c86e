namespace LsTranslate.Decode.Evaluation;

/// <summary>
/// One temperature's teacher-forced statistics per test sentence: its target tokens' summed NLL and, per reliability
/// bin, its tokens' Σ (correct − confidence). ECE = Σ_b |Σ_{tokens in b} (correct − confidence)| / n, so these sums are
/// all a resample of sentences needs to have its NLL and ECE recomputed without another forward pass.
/// </summary>
public sealed record SentenceCalibration(double Temperature, double[] NllSums, double[][] BinGaps);
