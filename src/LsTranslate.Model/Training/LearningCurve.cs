using System.Text.Json;

namespace LsTranslate.Model.Training;

public sealed record TrainPoint(long Step, int Epoch, double Loss);

public sealed record DevPoint(long Step, double Nll, double Accuracy);

/// <summary>
/// A run's learning curve as train-log.jsonl holds it, and whether the run has finished learning: dev
/// token accuracy gained less than <see cref="ConvergenceGain"/> (0.5 points) over the last 25 % of its
/// updates. The rule looks at accuracy, not at the dev-NLL minimum, because training goes on well past
/// that minimum (which is where overconfidence shows).
/// </summary>
public sealed record LearningCurve(IReadOnlyList<TrainPoint> Train, IReadOnlyList<DevPoint> Dev)
{
    public const double ConvergenceGain = 0.005;
    public const double ConvergenceWindow = 0.25;

    public static LearningCurve Read(string trainLogPath)
    {
        var train = new List<TrainPoint>();
        var dev = new List<DevPoint>();
        foreach (var line in File.ReadLines(trainLogPath).Where(l => l.Length > 0))
        {
            var r = JsonDocument.Parse(line).RootElement;
            long step = r.GetProperty("step").GetInt64();
            if (r.GetProperty("type").GetString() == "train")
                train.Add(new TrainPoint(step, r.GetProperty("epoch").GetInt32(), r.GetProperty("loss").GetDouble()));
            else
                dev.Add(new DevPoint(step, r.GetProperty("nll").GetDouble(), r.GetProperty("accuracy").GetDouble()));
        }
        return new LearningCurve(train, dev);
    }

    public DevPoint? Final => Dev.Count > 0 ? Dev[^1] : null;

    public DevPoint? NllMinimum => Dev.Count > 0 ? Dev.MinBy(p => p.Nll) : null;

    /// <summary>The last validation at or before 75 % of the final update: where the window of the rule starts.</summary>
    public DevPoint? WindowStart => Final is { } final ? Dev.LastOrDefault(p => p.Step <= final.Step * (1 - ConvergenceWindow)) : null;

    /// <summary>Dev accuracy gained over the last 25 % of updates (a fraction); null when the curve is too short to say.</summary>
    public double? FinalGain => Final is { } final && WindowStart is { } start ? final.Accuracy - start.Accuracy : null;

    public bool Converged => FinalGain is { } gain && gain < ConvergenceGain;

    /// <summary>Passes over the training data: updates divided by the updates of the first full epoch.</summary>
    public double? Epochs
    {
        get
        {
            var firstOfSecond = Train.FirstOrDefault(p => p.Epoch >= 1);
            if (Train.Count == 0) return null;
            if (firstOfSecond is null) return null;
            var lastOfFirst = Train.Last(p => p.Epoch == 0);
            double perEpoch = (lastOfFirst.Step + firstOfSecond.Step) / 2.0;
            return Train[^1].Step / perEpoch;
        }
    }
}
