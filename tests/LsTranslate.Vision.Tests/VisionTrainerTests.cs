using LsTranslate.Vision;
using TorchSharp;
using LsTranslate.Model.Runs;

namespace LsTranslate.Vision.Tests;

public class VisionTrainerTests
{
    [Fact]
    public void TinyNetworkOnToyDataBeatsChanceAndWritesItsDirectory()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 700, test: 200);
        var options = new VisionTrainOptions
        {
            DataDir = files.Directory, Arch = "resnet8", Epochs = 3, BatchSize = 50, Validation = 100,
            LabelSmoothing = 0.1, Optimizer = "adam", CropPadding = 2,
        };
        var outDir = Path.Combine(files.Directory, "model");
        using var data = VisionData.Load(options);
        var directory = VisionModelDirectory.Open(outDir, options);
        var epochs = new List<VisionEpochLog>();
        using var model = VisionTrainer.Train(options, data, directory, torch.CPU, epochs.Add);

        using var logits = VisionEvaluation.Logits(model, data.Test, torch.CPU);
        Assert.InRange(VisionEvaluation.Accuracy(logits, data.Test.Labels), 0.7, 1.0); // chance is 0.25
        Assert.Equal(3, epochs.Count);
        Assert.Equal(3, File.ReadAllLines(directory.LogFile).Length);

        var (reloadedOptions, reloaded) = directory.Load(torch.CPU, "last"); // training returns the final weights
        using (reloaded)
        {
            using var again = VisionEvaluation.Logits(reloaded, data.Test, torch.CPU);
            Assert.True(again.allclose(logits, atol: 1e-5));
            Assert.Equal(0.1, reloadedOptions.LabelSmoothing);
        }
    }

    [Fact]
    public void KilledRunResumesToTheSameWeightsAndCurveAndAFinishedRunIsOnlyLoaded()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 300, test: 50);
        var options = new VisionTrainOptions
        {
            DataDir = files.Directory, Arch = "resnet8", Epochs = 3, BatchSize = 40, Validation = 60, Optimizer = "sgd",
            LearningRate = 0.05, CropPadding = 2,
        };
        using var data = VisionData.Load(options);
        (VisionModelDirectory, MutualInformationProbe) Start(string name)
        {
            var directory = VisionModelDirectory.Open(Path.Combine(files.Directory, name), options);
            return (directory, new MutualInformationProbe(data.Train, 0, 1, perClass: 8, copies: 3, every: 4, cropPadding: 2, torch.CPU,
                seed: 9, pointsFile: directory.File("mi.json")));
        }

        var (whole, wholeProbe) = Start("whole");
        using (wholeProbe)
        using (VisionTrainer.Train(options, data, whole, torch.CPU, afterStep: wholeProbe.AfterStep)) { }

        var (killed, firstProbe) = Start("killed");
        using (firstProbe)
            Assert.Throws<OperationCanceledException>(() => VisionTrainer.Train(options, data, killed, torch.CPU,
                onEpoch: e => { if (e.Epoch == 2) throw new OperationCanceledException("killed"); }, afterStep: firstProbe.AfterStep));
        Assert.Equal(2, killed.EpochsDone());
        var (resumedDir, resumedProbe) = Start("killed");
        var resumedEpochs = new List<VisionEpochLog>();
        using (resumedProbe)
        using (VisionTrainer.Train(options, data, resumedDir, torch.CPU, resumedEpochs.Add, afterStep: resumedProbe.AfterStep))
        {
            Assert.Equal([3], resumedEpochs.Select(e => e.Epoch));
            Assert.Equal(wholeProbe.Points, resumedProbe.Points);
        }
        Assert.Equal(File.ReadAllText(whole.LogFile).Split('\n').Length,
            File.ReadAllText(killed.LogFile).Split('\n').Length);
        var (_, a) = whole.Load(torch.CPU, "last");
        var (_, b) = killed.Load(torch.CPU, "last");
        using (a)
        using (b)
            Assert.All(a.parameters().Zip(b.parameters()), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>(), "weights differ after resuming"));

        var again = new List<VisionEpochLog>();
        using (VisionTrainer.Train(options, data, VisionModelDirectory.Open(killed.Path, options), torch.CPU, again.Add)) { }
        Assert.Empty(again);
    }

    /// <summary>A small AlexNet run on toy data, Adam, batches of 40.</summary>
    static VisionTrainOptions Toy(IdxTestFiles files, int train, int test, int epochs, int validation)
    {
        files.WriteToyDataset(train, test);
        return new VisionTrainOptions { DataDir = files.Directory, Arch = "alexnet", Epochs = epochs, BatchSize = 40, Validation = validation, Optimizer = "adam" };
    }

    [Fact]
    public void RunWritesRunSettingsCalibrationAndALogThatNamesTheBestMetric()
    {
        using var files = new IdxTestFiles();
        var options = Toy(files, train: 160, test: 40, epochs: 2, validation: 40);
        using var data = VisionData.Load(options);
        var outDir = Path.Combine(files.Directory, "model");
        using (VisionTrainer.Run(new VisionTrainRequest(options, data, outDir, new RunSettings(Precision: "fp32")), TextWriter.Null)) { }

        var directory = new VisionModelDirectory(outDir);
        Assert.Equal(new RunSettings("cpu", 0, "fp32"), directory.ReadRunSettings());
        var calibration = directory.ReadCalibration()!;
        Assert.Equal(40, calibration.Count);
        Assert.Equal("images", calibration.Units);
        Assert.Contains("validation split", calibration.FittedOn);
        Assert.True(calibration.NllAfter <= calibration.NllBefore + 1e-9);
        var log = directory.ReadLog();
        Assert.All(log, e => Assert.Equal("validation_accuracy", e.BestBy));
        Assert.True(log[0].Best);
        Assert.Equal(log.Max(e => e.ValidationAccuracy), log.Last(e => e.Best).ValidationAccuracy);
    }

    [Fact]
    public void DirectoryOfAnotherRunIsRefusedNamingTheDifference()
    {
        using var files = new IdxTestFiles();
        var options = Toy(files, train: 120, test: 20, epochs: 1, validation: 20);
        using var data = VisionData.Load(options);
        var outDir = Path.Combine(files.Directory, "model");
        using (VisionTrainer.Train(options, data, VisionModelDirectory.Open(outDir, options), torch.CPU)) { }
        var error = Assert.Throws<InputError>(() => VisionModelDirectory.Open(outDir, options with { LabelSmoothing = 0.1 }));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("label_smoothing: 0 → 0.1", error.Message);
        Assert.Contains("--overwrite", error.Message);

        var overwritten = VisionModelDirectory.Open(outDir, options with { LabelSmoothing = 0.1 }, overwrite: true);
        Assert.Equal(0, overwritten.EpochsDone());
        Assert.Empty(overwritten.ReadLog());
        Assert.Equal(0.1, overwritten.ReadOptions().LabelSmoothing);
    }

    [Fact]
    public void StepDecayDividesAtHalfAndThreeQuarters()
    {
        var options = new VisionTrainOptions { Epochs = 8, LearningRate = 0.1 };
        var rates = Enumerable.Range(0, 8).Select(e => VisionTrainer.LearningRateAt(options, e)).ToArray();
        Assert.Equal(0.1, rates[3], 12);
        Assert.Equal(0.01, rates[4], 12);
        Assert.Equal(0.001, rates[6], 12);
    }
}
