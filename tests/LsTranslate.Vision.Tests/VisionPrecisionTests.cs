using LsTranslate.Model;
using LsTranslate.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision.Tests;

public class VisionPrecisionTests
{
    [Theory]
    [InlineData("resnet8")]
    [InlineData("alexnet")]
    public void Bf16ChangesTheArithmeticButNotTheParametersOrTheirNames(string arch)
    {
        manual_seed(3);
        using var model = Architectures.Create(arch, 1, 10, 28, 28);
        model.eval();
        // nn.Conv2d / nn.Linear names: checkpoints of either precision (and of earlier versions) load into either.
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains(arch == "alexnet" ? "features.0.weight" : "stem.0.weight", names);
        Assert.Contains(arch == "alexnet" ? "features.7.bias" : "stages.0.residual.0.weight", names);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));

        using var images = randn(8, 1, 28, 28);
        using var fp32 = model.forward(images);
        Tensor bf16;
        using (model.InPrecision(Precision.Bf16)) bf16 = model.forward(images);
        using (bf16)
        {
            Assert.Equal(Precision.Fp32, model.Precision);
            Assert.Equal(ScalarType.Float32, bf16.dtype);
            Assert.False(bf16.eq(fp32).all().item<bool>());
            double scale = fp32.abs().max().item<float>();
            Assert.True((bf16 - fp32).abs().max().item<float>() < 0.05 * scale + 0.02);
        }
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void TrainsInBf16AndReturnsAnFp32ModelWhoseLogSaysWhichPrecisionTrained()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 700, test: 200);
        var options = new VisionTrainOptions
        {
            DataDir = files.Directory, Arch = "resnet8", Epochs = 3, BatchSize = 50, Validation = 100, Optimizer = "adam",
        };
        using var data = VisionData.Load(options);
        var directory = VisionModelDirectory.Open(Path.Combine(files.Directory, "model"), options);
        using var model = VisionTrainer.Train(options, data, directory, CPU, precision: Precision.Bf16);

        Assert.Equal(Precision.Fp32, model.Precision);
        using var logits = VisionEvaluation.Logits(model, data.Test, CPU);
        Assert.InRange(VisionEvaluation.Accuracy(logits, data.Test.Labels), 0.7, 1.0); // chance is 0.25
        var curve = VisionLearningCurve.Read(directory.Path);
        Assert.Equal(3, curve.Epochs.Count);
        Assert.Equal("bf16", curve.Precision);
    }
}
