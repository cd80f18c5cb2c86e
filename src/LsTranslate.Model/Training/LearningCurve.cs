using System.Text.Json.Serialization;
using LsTranslate.Model.Runs;

namespace LsTranslate.Model.Training;

/// <summary>
/// A run's learning curve as train-log.jsonl holds it, and whether the run has finished learning by
/// <see cref="ConvergenceRule"/> (dev token accuracy against updates). The rule looks at accuracy, not at the dev-NLL minimum, because training goes on well past
/// that minimum (which is where overconfidence shows). Only the two logs are state; the rest is derived
/// (and left out of JSON, where whoever reports the curve states what it needs).
/// </summary>
public sealed record LearningCurve(IReadOnlyList<StepRecord> Train, IReadOnlyList<ValidationRecord> Dev)
{
    public static LearningCurve Read(RunDirectory dir)
    {
        var (steps, validations) = TrainLog.Read(dir);
        return new LearningCurve(steps, validations);
    }

    [JsonIgnore]
    public ValidationRecord? Final => Dev.Count > 0 ? Dev[^1] : null;

    [JsonIgnore]
    public ValidationRecord? NllMinimum => Dev.Count > 0 ? Dev.MinBy(p => p.Nll) : null;

    /// <summary>The last validation at or before 75 % of the final update: where the window of the rule starts.</summary>
    [JsonIgnore]
    public ValidationRecord? WindowStart => ConvergenceRule.WindowStart(Dev, p => p.Step);

    /// <summary>Dev accuracy gained over the last 25 % of updates (a fraction); null when the curve is too short to say.</summary>
    [JsonIgnore]
    public double? FinalGain => ConvergenceRule.FinalGain(Dev, p => p.Step, p => p.Accuracy);

    [JsonIgnore]
    public bool Converged => ConvergenceRule.Converged(FinalGain);

    /// <summary>Passes over the training data: updates divided by the updates of the first full epoch.</summary>
    [JsonIgnore]
    public double? Epochs
    {
        get
        {
            if (Train.FirstOrDefault(p => p.Epoch >= 1) is not { } firstOfSecond) return null;
            var lastOfFirst = Train.LastOrDefault(p => p.Epoch == 0) ?? firstOfSecond;
            return Train[^1].Step / ((lastOfFirst.Step + firstOfSecond.Step) / 2.0);
        }
    }
}
