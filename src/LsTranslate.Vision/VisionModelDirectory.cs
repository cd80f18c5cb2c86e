using LsTranslate.Model;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.IO;
using LsTranslate.Model.Runs;

namespace LsTranslate.Vision;

/// <summary>
/// An image classifier's run directory: config.json holds its <see cref="VisionTrainOptions"/>; the rest (run
/// settings, calibration, checkpoints, train-log.jsonl with one line per epoch, the rule for continuing) is
/// <see cref="RunDirectory"/>'s.
/// </summary>
public sealed class VisionModelDirectory(string path) : RunDirectory(path)
{
    /// <summary>Channels, height and width of the images a stored model takes: every dataset config.json can name is 1×28×28.</summary>
    public static IReadOnlyList<long> ImageShape => [1, 28, 28];

    public override BestMetric BestBy => BestMetric.ValidationAccuracy;

    /// <summary>
    /// A new run directory, or the one an earlier run left: rerunning with the same options continues it (a finished
    /// run is only loaded); other options are refused, the differing fields named; <paramref name="overwrite"/> starts
    /// it over.
    /// </summary>
    public static VisionModelDirectory Open(string path, VisionTrainOptions options, bool overwrite = false, TextWriter? log = null)
    {
        var directory = new VisionModelDirectory(path);
        if (directory.Continues(overwrite, log ?? TextWriter.Null))
            directory.RefuseOtherRecipe(JsonDifferences.Fields(directory.ReadOptions(), options));
        else
            directory.WriteJson(directory.ConfigFile, options);
        return directory;
    }

    /// <summary>Epochs checkpoint.last has finished (0 when training has not finished one).</summary>
    public int EpochsDone() => HasLast ? Checkpoint.ReadProgress<VisionProgress>(LastCheckpoint).Epochs : 0;

    public VisionTrainOptions ReadOptions()
    {
        if (!Directory.Exists(Path)) throw new InputError($"{Path}: model directory not found");
        if (!HasConfig) throw InputError.At(ConfigFile, 0, "no such file: not a vision model directory (train one with `lstranslate vision train`)");
        return ReadJson<VisionTrainOptions>(ConfigFile, "vision training options").Validated();
    }

    /// <summary>Rebuilds the network from config.json and loads the named checkpoint (best, last, …) onto the device, in evaluation mode.</summary>
    public (VisionTrainOptions Options, ImageClassifier Model) Load(Device device, string checkpoint = "best")
    {
        var options = ReadOptions();
        var info = ImageDatasets.Info(options.Dataset);
        var file = CheckpointFile(checkpoint);
        var model = Architectures.Create(options.Arch, (int)ImageShape[0], info.Classes, (int)ImageShape[1], (int)ImageShape[2]);
        Checkpoint.Load<VisionProgress>(file, model);
        model.to(device);
        model.eval();
        return (options, model);
    }

    /// <summary>The epochs logged so far (empty before the first).</summary>
    public IReadOnlyList<VisionEpochLog> ReadLog() => LogLines().Select(line => Json.Deserialize<VisionEpochLog>(line)!).ToList();

    /// <summary>
    /// Seconds the training loops of these run directories took, from their logs: whichever invocation trained
    /// them, so a report over reused networks still states what they cost.
    /// </summary>
    public static double TrainingSeconds(IEnumerable<string> modelDirs) =>
        modelDirs.Distinct().Sum(dir => new VisionModelDirectory(dir).ReadLog().Sum(e => e.Seconds));
}
