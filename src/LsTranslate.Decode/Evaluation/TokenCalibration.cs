using LsTranslate.Model.Analysis;

namespace LsTranslate.Decode.Evaluation;

/// <summary>Teacher-forced, per-target-token quality of a translation model at one temperature.</summary>
public sealed record TokenCalibration(double Temperature, long Tokens, double Nll, double Perplexity, double Accuracy, double Ece, IReadOnlyList<ReliabilityBin> Bins);
