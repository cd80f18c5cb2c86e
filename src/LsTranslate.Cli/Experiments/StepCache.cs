using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LsTranslate.Model.IO;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// Makes an experiment resumable: each finished step's result is a JSON file in the output folder, written
/// atomically with the inputs it was computed from; a rerun with the same inputs reads it instead of recomputing,
/// and one with other inputs (another beam, checkpoint, data slice, …) recomputes it, naming what changed.
/// done.jsonl records what was computed and when.
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

    /// <param name="inputs">everything that changes the step's result, as a JSON-serialisable object.</param>
    public T Get<T>(string name, object inputs, Func<T> compute)
    {
        string path = Path.Combine(folder, "steps", name + ".json");
        var wanted = JsonSerializer.SerializeToNode(inputs, Json.Options);
        string reason = "";
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject stored)
        {
            if (stored["inputs"] is JsonNode had)
            {
                var changed = JsonDifferences.Fields<JsonNode?>(had, wanted);
                if (changed.Count == 0)
                {
                    log.WriteLine($"[reuse] {name}");
                    return stored["result"].Deserialize<T>(Json.Options)!;
                }
                reason = $" ({string.Join(", ", changed)})";
            }
            else reason = " (cached before steps recorded their inputs)";
        }
        log.WriteLine($"[run]   {name}{reason}");
        var clock = Stopwatch.StartNew();
        var result = compute();
        var entry = new JsonObject { ["inputs"] = wanted, ["result"] = JsonSerializer.SerializeToNode(result, Json.Options) };
        AtomicFile.WriteAllText(path, entry.ToJsonString(Json.Options) + "\n");
        AppendOnly.AppendLine(Path.Combine(folder, "done.jsonl"),
            JsonSerializer.Serialize(new { step = name, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1), at = DateTime.UtcNow }, Json.Line));
        return result;
    }
}
