using System.Text.Json;
using LsTranslate.Model.IO;
using LsTranslate.Model.Runs;

namespace LsTranslate.Model.Training;

/// <summary>A translation run's train-log.jsonl: step records ("type": "train") and validation records ("type": "valid"), each with its "step".</summary>
public static class TrainLog
{
    /// <summary>The step records and the validation records, each in the order they were logged.</summary>
    public static (List<StepRecord> Steps, List<ValidationRecord> Validations) Read(RunDirectory dir)
    {
        var steps = new List<StepRecord>();
        var validations = new List<ValidationRecord>();
        foreach (var line in dir.LogLines())
        {
            if (JsonDocument.Parse(line).RootElement.GetProperty("type").GetString() == "train")
                steps.Add(Json.Deserialize<StepRecord>(line)!);
            else
                validations.Add(Json.Deserialize<ValidationRecord>(line)!);
        }
        return (steps, validations);
    }
}

/// <param name="ProcessCpuSeconds">CPU time (all threads) this process had used by then, counted from its start (so from
/// the resume in a continued run): on a shared machine the work an update costs, whatever else ran beside it; null in logs
/// written before it was recorded.</param>
public sealed record StepRecord(string Type, long Step, int Epoch, double Loss, double LearningRate, double TokensPerSecond, long TargetTokens, double ElapsedSeconds,
    double? ProcessCpuSeconds = null);

/// <param name="BestBy">the metric <paramref name="Best"/> is judged by; null in logs written before it was named.</param>
public sealed record ValidationRecord(string Type, long Step, double Nll, double Perplexity, double Accuracy, long Tokens, bool Best, double ElapsedSeconds,
    string? BestBy = null);
