using LsTranslate.Decode.Evaluation;
using LsTranslate.Metrics;
using LsTranslate.Model.Training;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Experiments;

/// <summary>A text metric as the report shows it: the number, sacreBLEU's text and signature.</summary>
public sealed record MetricSummary(double Score, string Text, string Signature)
{
    public static MetricSummary Of(IMetricScore score) => new(score.Score, score.Text, score.Signature.ToString());
}

/// <summary>BLEU/chrF of one decode of (part of) the test set at one temperature.</summary>
public sealed record DecodeSummary(double Temperature, int Sentences, MetricSummary Bleu, MetricSummary BleuUncased, MetricSummary ChrF, double Seconds, string Hypotheses);

/// <summary>One temperature of the sweep: teacher-forced NLL/ECE on the whole test set, BLEU on the swept sentences (Hypotheses).</summary>
public sealed record SweepPoint(double Temperature, double Nll, double Ece, double Accuracy, double Bleu, string Hypotheses);

public sealed record TemperatureFit(double Temperature, TokenCalibration DevBefore, TokenCalibration DevAfter);

public sealed record TrainingSummary(string Directory, double Alpha, long Steps, long BestStep, double TrainSeconds, long Parameters, double BestDevNll);

/// <summary>
/// How a model learned: its curve from train-log.jsonl and whether it finished learning (dev token accuracy
/// gained less than 0.5 points over the last 25 % of updates). Updates and minutes are its training summary's.
/// </summary>
public sealed record LearningSummary(string Precision, long Updates, double Minutes, LearningCurve Curve)
{
    public double? Epochs => Curve.Epochs;
    public bool Converged => Curve.Converged;
    public double? FinalGain => Curve.FinalGain;
    public ValidationRecord? NllMinimum => Curve.NllMinimum;
    public ValidationRecord? Final => Curve.Final;

    public static LearningSummary Of(ModelDirectory dir, TrainingSummary training) =>
        new(dir.ReadRunSettings().Precision, training.Steps, training.TrainSeconds / 60, LearningCurve.Read(dir));
}

/// <summary>Everything measured for one model: its final checkpoint, never the dev-NLL minimum.</summary>
public sealed record ModelResults(
    string Name, TrainingSummary Training, LearningSummary Learning, TokenCalibration Test, DecodeSummary Decode,
    TemperatureFit Fit, TokenCalibration ScaledTest, DecodeSummary ScaledDecode, IReadOnlyList<SweepPoint> Sweep);

public sealed record Significance(string Baseline, string System, double BaselineBleu, double SystemBleu, double SystemMean, double ConfidenceInterval, double PValue, int Samples);

/// <summary>
/// After minus before, on the same test sentences (another model, or another temperature), each with its 95 % paired
/// bootstrap interval over the sentences.
/// </summary>
public sealed record Change(string Before, string After, double BleuDifference, Interval BleuDifferenceCi,
    double EceDifference, Interval EceDifferenceCi, double NllDifference, Interval NllDifferenceCi);

public sealed record TemperatureShare(double Temperature, double Share);

/// <summary>
/// The swept temperature that is best by one measure, how far the resamples move it (the 2.5 % and 97.5 % ones of the
/// temperatures they pick) and the share of resamples that pick each temperature.
/// </summary>
public sealed record TemperatureChoice(double Temperature, Interval TemperatureCi, IReadOnlyList<TemperatureShare> Shares);

/// <param name="Scaling">T = 1 to the temperature fitted on dev.</param>
/// <param name="Sweep">T = 1 to each other swept temperature.</param>
public sealed record ModelUncertainty(string Name, Change Scaling, TemperatureChoice BestBleu, TemperatureChoice LowestEce, TemperatureChoice LowestNll,
    IReadOnlyList<Change> Sweep);

/// <summary>
/// The intervals the claims are judged on, from one paired bootstrap over test sentences (Samples resamples, Seed).
/// EceMinusNllDistance: summed over the models, |lowest-ECE T − best-BLEU T| − |lowest-NLL T − best-BLEU T|.
/// </summary>
/// <param name="Smoothing">the α = 0 model to the smoothed one, both at T = 1.</param>
public sealed record TranslationUncertainty(int Samples, int Seed, Change Smoothing, IReadOnlyList<ModelUncertainty> Models,
    double EceMinusNllDistance, Interval EceMinusNllDistanceCi);

public sealed record TranslationSetup(
    string Scale, string Regime, string Precision, string Train, string Dev, string Test, int TrainPairs, int DevPairs, int TestPairs, int SweepPairs,
    string Preset, int Seed, int Beam, double LengthPenalty, string LengthPenaltyStyle, IReadOnlyList<double> Temperatures,
    string Machine, string Versions, string Command);

/// <param name="MeasurementSeconds">Summed over every measurement step ever run for this folder (done.jsonl), across reruns.</param>
/// <param name="InvocationSeconds">This invocation alone (small when everything was reused).</param>
public sealed record TranslationResults(TranslationSetup Setup, IReadOnlyList<ModelResults> Models, Significance Significance,
    TranslationUncertainty Uncertainty, IReadOnlyList<Claim> Claims, double MeasurementSeconds, double InvocationSeconds);
