using System.Diagnostics;
using System.Text.Json;
using LsTranslate.Model.IO;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// Makes an experiment resumable: each finished step's result is a JSON file in the output folder, written
/// atomically; a rerun reads it instead of recomputing. done.jsonl records what was computed and when.
/// </summary>
public sealed class StepCache(string folder, TextWriter log)
{
    /// <summary>Seconds spent computing the steps recorded in done.jsonl, whichever run computed them.</summary>
    public double RecordedSeconds()
    {
        string path = Path.Combine(folder, "done.jsonl");
        return File.Exists(path)
            ? File.ReadLines(path).Sum(line => JsonDocument.Parse(line).RootElement.GetProperty("seconds").GetDouble())
            : 0;
    }

    public T Get<T>(string name, Func<T> compute)
    {
        string path = Path.Combine(folder, "steps", name + ".json");
        if (File.Exists(path))
        {
            log.WriteLine($"[reuse] {name}");
            return Json.Deserialize<T>(File.ReadAllText(path))!;
        }
        log.WriteLine($"[run]   {name}");
        var clock = Stopwatch.StartNew();
        var result = compute();
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, Json.Options));
        File.AppendAllText(Path.Combine(folder, "done.jsonl"),
            JsonSerializer.Serialize(new { step = name, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1), at = DateTime.UtcNow }, Json.Line) + "\n");
        return result;
    }
}
