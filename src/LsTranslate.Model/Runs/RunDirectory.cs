using System.Text.Json;
using System.Text.Json.Nodes;
using LsTranslate.Model.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Runs;

/// <summary>
/// The one run directory of every trained network, translation and vision alike: the recipe in config.json, the run
/// settings in run.json (never compared as recipe), a fitted temperature in calibration.json, checkpoint.best / .last /
/// .step-N in <see cref="Checkpoint"/>'s format and one JSONL log. It also holds the one rule for continuing a
/// run: a checkpoint.last here is continued, unless told to overwrite; a different recipe is refused, the differing
/// fields named. What the recipe is and how a network is rebuilt belong to the subclasses.
/// </summary>
public abstract class RunDirectory(string path)
{
    const string StepCheckpointPrefix = "checkpoint.step-";

    public string Path { get; } = path;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public string ConfigFile => File("config.json");
    public string RunSettingsFile => File("run.json");
    public string CalibrationFile => File("calibration.json");
    public string BestCheckpoint => File("checkpoint.best");
    public string LastCheckpoint => File("checkpoint.last");
    public string LogFile => File("train-log.jsonl");

    public bool HasConfig => System.IO.File.Exists(ConfigFile);

    /// <summary>Whether a run here has saved a checkpoint to continue from.</summary>
    public bool HasLast => System.IO.File.Exists(LastCheckpoint);

    /// <summary>What makes a validation the best; checkpoint.best holds it.</summary>
    public abstract BestMetric BestBy { get; }

    /// <summary>Files of the model besides config, checkpoints and logs (a tokenizer), which starting over deletes too.</summary>
    protected virtual IEnumerable<string> ModelFiles => [];

    /// <summary>
    /// The one rule for an output directory, as fairseq and Marian have it: true when there is a run to continue (a
    /// checkpoint.last, and no <paramref name="overwrite"/>); otherwise whatever an earlier run left is cleared (a
    /// run killed before its first checkpoint may have left a half-written config or tokenizer) and false.
    /// </summary>
    public bool Continues(bool overwrite, TextWriter log)
    {
        if (!overwrite && HasLast)
        {
            // What a write killed halfway left: never read, and gone once the run goes on.
            foreach (var temp in Directory.GetFiles(Path, "*.tmp-*")) System.IO.File.Delete(temp);
            return true;
        }
        if (Clear() > 0)
            log.WriteLine(overwrite ? $"--overwrite: starting {Path} over"
                : $"{Path} holds no checkpoint yet (an earlier run stopped before its first): starting over");
        AtomicFile.CreateDirectory(Path);
        return false;
    }

    /// <summary>Refuses to continue a run whose recipe differs from the requested one, naming the fields.</summary>
    public void RefuseOtherRecipe(IReadOnlyList<string> differing, string resumeHint = "")
    {
        if (differing.Count > 0)
            throw InputError.At(ConfigFile, 0, $"holds a model trained with other options ({string.Join(", ", differing)}); rerun with " +
                                               $"those to continue it{resumeHint}, --overwrite to start over, or choose another --out");
    }

    /// <summary>
    /// Deletes what training writes here (config, run settings, calibration, model files, checkpoints, log, temp files
    /// of a killed write) and nothing else, so that a run can start over; returns how many files went.
    /// </summary>
    public int Clear()
    {
        if (!Directory.Exists(Path)) return 0;
        var named = new[] { ConfigFile, RunSettingsFile, CalibrationFile, LogFile }.Select(System.IO.Path.GetFileName).Concat(ModelFiles).ToHashSet();
        var ours = Directory.GetFiles(Path).Where(f =>
        {
            // A killed atomic write leaves NAME.tmp-PID: it belongs to whoever NAME belongs to.
            var name = System.IO.Path.GetFileName(f).Split(".tmp-")[0];
            return named.Contains(name) || name.StartsWith("checkpoint.", StringComparison.Ordinal);
        }).ToList();
        foreach (var file in ours) System.IO.File.Delete(file);
        return ours.Count;
    }

    /// <summary>
    /// The checkpoint file a name means: "best", "last", "step-N" (kept by a validation), another checkpoint.NAME or a file name. A missing best is an
    /// error, never a silent fallback to another checkpoint.
    /// </summary>
    public string CheckpointFile(string name)
    {
        var file = name switch
        {
            "best" => BestCheckpoint,
            "last" => LastCheckpoint,
            _ when name.StartsWith("step-", StringComparison.Ordinal) && long.TryParse(name.AsSpan(5), out long step) => StepCheckpoint(step),
            _ when System.IO.File.Exists(File("checkpoint." + name)) => File("checkpoint." + name),
            _ => File(name),
        };
        if (System.IO.File.Exists(file)) return file;
        if (name == "best" && HasLast)
            throw InputError.At(file, 0, $"no such file: this run has not saved a best checkpoint yet (best = {BestBy.Name}); use --checkpoint last");
        throw InputError.At(file, 0, HasLast ? "no such checkpoint" : "no such file: this directory holds no trained checkpoint");
    }

    /// <summary>Writes what a validation leaves: checkpoint.best when it was the best, checkpoint.last (with the optimizer, for resuming) always, and a weights-only checkpoint.step-N while <paramref name="keepSteps"/> &gt; 0.</summary>
    public void SaveValidated<TProgress>(nn.Module model, TProgress progress, optim.Optimizer optimizer, bool best, long step, int keepSteps = 0)
    {
        if (best) Checkpoint.Save(BestCheckpoint, model, progress, optimizer: null);
        Checkpoint.Save(LastCheckpoint, model, progress, optimizer);
        if (keepSteps <= 0) return;
        Checkpoint.Save(StepCheckpoint(step), model, progress, optimizer: null);
        foreach (var old in StepCheckpoints().SkipLast(keepSteps)) System.IO.File.Delete(old);
    }

    /// <summary>
    /// Loads checkpoint.last into the model and optimizer and drops the log lines past it (<paramref name="logKey"/> of
    /// each line above <paramref name="counter"/>'s value): a killed run may have logged work its last checkpoint
    /// does not hold, and the resumed run logs it again.
    /// </summary>
    public TProgress Resume<TProgress>(nn.Module model, optim.Optimizer optimizer, string logKey, Func<TProgress, long> counter)
    {
        var progress = Checkpoint.Load<TProgress>(LastCheckpoint, model, optimizer);
        TruncateLog(logKey, counter(progress));
        return progress;
    }

    /// <summary>The weights-only checkpoint the validation at <paramref name="step"/> keeps.</summary>
    public string StepCheckpoint(long step) => File($"{StepCheckpointPrefix}{step:D8}");

    /// <summary>Weights-only checkpoints saved at validations, oldest first.</summary>
    public IReadOnlyList<string> StepCheckpoints() => Directory.Exists(Path)
        ? Directory.GetFiles(Path, StepCheckpointPrefix + "*").Where(f => !f.Contains(".tmp-")).Order(StringComparer.Ordinal).ToList()
        : [];

    public void AppendLog(object record) =>
        AppendOnly.AppendLine(LogFile, JsonSerializer.Serialize(record, Json.Line));

    /// <summary>The log's lines, empty before the first; a line a kill tore (not a JSON object) is left out.</summary>
    public IEnumerable<string> LogLines() => System.IO.File.Exists(LogFile)
        ? System.IO.File.ReadLines(LogFile).Where(line => ParseLine(line) is not null)
        : [];

    static JsonObject? ParseLine(string line)
    {
        try { return line.Length > 0 ? JsonNode.Parse(line) as JsonObject : null; }
        catch (JsonException) { return null; }
    }

    void TruncateLog(string key, long last)
    {
        if (!System.IO.File.Exists(LogFile)) return;
        // A torn line parses to null, which is not ≤ last: it goes too.
        var kept = System.IO.File.ReadLines(LogFile).Where(line => ParseLine(line)?[key]?.GetValue<long>() <= last).ToList();
        AtomicFile.WriteAllText(LogFile, string.Concat(kept.Select(line => line + "\n")));
    }

    /// <summary>A JSON file of this directory as <typeparamref name="T"/>; a missing, empty or broken one is one error line naming it.</summary>
    public static T ReadJson<T>(string file, string what) where T : class
    {
        if (!System.IO.File.Exists(file)) throw InputError.At(file, 0, $"no such file ({what})");
        try
        {
            return Json.Deserialize<T>(System.IO.File.ReadAllText(file)) ?? throw InputError.At(file, 0, $"empty {what}");
        }
        catch (JsonException e)
        {
            throw InputError.At(file, e.LineNumber + 1 ?? 0, $"invalid {what}: {e.Message}");
        }
    }

    public void WriteJson<T>(string file, T value) => Json.WriteFile(file, value);

    public void WriteRunSettings(RunSettings settings) => WriteJson(RunSettingsFile, settings);

    /// <summary>
    /// The run settings the run last trained with: run.json, or for runs trained before it existed the device, threads
    /// and precision config.json kept among its training options.
    /// </summary>
    public RunSettings ReadRunSettings()
    {
        if (System.IO.File.Exists(RunSettingsFile)) return ReadJson<RunSettings>(RunSettingsFile, "run settings");
        var training = HasConfig ? JsonNode.Parse(System.IO.File.ReadAllText(ConfigFile))?["training"] : null;
        return new RunSettings(
            training?["device"]?.GetValue<string>() ?? "cpu",
            training?["threads"]?.GetValue<int>() ?? 0,
            training?["precision"]?.GetValue<string>() ?? "fp32");
    }

    /// <summary>The temperature fitted for this run, or null before calibration.</summary>
    public CalibrationRecord? ReadCalibration() =>
        System.IO.File.Exists(CalibrationFile) ? ReadJson<CalibrationRecord>(CalibrationFile, "calibration record") : null;

    public void WriteCalibration(CalibrationRecord record) => WriteJson(CalibrationFile, record);
}
