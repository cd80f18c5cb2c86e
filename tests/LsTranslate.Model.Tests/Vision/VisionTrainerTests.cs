using LsTranslate.Model.Vision;
using TorchSharp;

namespace LsTranslate.Model.Tests.Vision;

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
        var directory = VisionModelDirectory.Create(outDir, options);
        var epochs = new List<VisionEpochLog>();
        using var model = VisionTrainer.Train(options, data, directory, torch.CPU, epochs.Add);

        using var logits = VisionEvaluation.Logits(model, data.Test, torch.CPU);
        Assert.InRange(VisionEvaluation.Accuracy(logits, data.Test.Labels), 0.7, 1.0); // chance is 0.25
        Assert.Equal(3, epochs.Count);
        Assert.Equal(3, File.ReadAllLines(directory.File(VisionModelDirectory.LogFile)).Length);

        var (reloadedOptions, reloaded) = directory.Load(torch.CPU);
        using (reloaded)
        {
            using var again = VisionEvaluation.Logits(reloaded, data.Test, torch.CPU);
            Assert.True(again.allclose(logits, atol: 1e-5));
            Assert.Equal(0.1, reloadedOptions.LabelSmoothing);
        }
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
