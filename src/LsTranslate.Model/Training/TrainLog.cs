using System.Text.Json;
using LsTranslate.Model.IO;

namespace LsTranslate.Model.Training;

/// <summary>train-log.jsonl: one JSON object per logged step group or validation, each with its "step".</summary>
public sealed class TrainLog(string path)
{
    public void Append(object record)
    {
        File.AppendAllText(path, JsonSerializer.Serialize(record, Json.Line) + "\n");
    }

    /// <summary>The step records and the validation records, each in the order they were logged.</summary>
    public (List<StepRecord> Steps, List<ValidationRecord> Validations) Read()
    {
        var steps = new List<StepRecord>();
        var validations = new List<ValidationRecord>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            if (JsonDocument.Parse(line).RootElement.GetProperty("type").GetString() == "train")
                steps.Add(Json.Deserialize<StepRecord>(line)!);
            else
                validations.Add(Json.Deserialize<ValidationRecord>(line)!);
        }
        return (steps, validations);
    }

    /// <summary>
    /// Drops records after <paramref name="step"/>: a killed run may have logged steps that its last
    /// checkpoint does not hold, and the resumed run logs them again.
    /// </summary>
    public void TruncateAfter(long step)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadLines(path).Where(line =>
        {
            try { return JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64() <= step; }
            catch (JsonException) { return false; }
        }).ToList();
        AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
    }
}

public sealed record StepRecord(string Type, long Step, int Epoch, double Loss, double LearningRate, double TokensPerSecond, long TargetTokens, double ElapsedSeconds);

public sealed record ValidationRecord(string Type, long Step, double Nll, double Perplexity, double Accuracy, long Tokens, bool Best, double ElapsedSeconds);
