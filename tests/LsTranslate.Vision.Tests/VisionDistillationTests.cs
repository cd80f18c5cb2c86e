using LsTranslate.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision.Tests;

public class VisionDistillationTests
{
    [Fact]
    public void StudentLearnsFromAFrozenTeacherThroughTheTrainingLoopWhileTheProbeMeasures()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 300, test: 100);
        var options = new VisionTrainOptions
        {
            DataDir = files.Directory, Arch = "resnet8", Epochs = 2, BatchSize = 20, Validation = 60, Optimizer = "adam",
            LearningRate = 3e-3, DecayAt = [], CropPadding = 2,
        };
        using var data = VisionData.Load(options);
        using var teacher = new OracleTeacher();
        var before = teacher.parameters().Select(p => p.detach().clone()).ToList();
        using var probe = new MutualInformationProbe(data.Train, 0, 1, perClass: 10, copies: 3, every: 6, cropPadding: 2, CPU, seed: 1);

        var directory = VisionModelDirectory.Open(Path.Combine(files.Directory, "student"), options);
        using var student = VisionTrainer.Train(options, data, directory, CPU,
            loss: VisionDistillation.Loss(teacher, beta: 1, temperature: 2), afterStep: probe.AfterStep);

        using var logits = VisionEvaluation.Logits(student, data.Test, CPU);
        Assert.InRange(VisionEvaluation.Accuracy(logits, data.Test.Labels), 0.6, 1.0); // chance is 0.25; it never saw a hard label
        Assert.All(teacher.parameters().Zip(before), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
        Assert.False(teacher.training);

        // 240 training images in batches of 20: 12 steps an epoch, 24 in all, a measurement every 6th.
        Assert.Equal(new[] { 6, 12, 18, 24 }, probe.Points.Select(p => p.Step));
        Assert.Equal(20, probe.Examples);
        Assert.All(probe.Points, p => Assert.InRange(p.Nats, -1e-12, Math.Log(20) + 1e-12));
        foreach (var p in before) p.Dispose();
    }

    /// <summary>
    /// A teacher that knows the toy classes without training (and costs next to nothing): brightness of the
    /// top band (class 0), the bottom band (1) and the middle of the vertical bar (2); none of them is class 3.
    /// </summary>
    sealed class OracleTeacher : ImageClassifier
    {
        readonly TorchSharp.Modules.Linear head = nn.Linear(3, 10);

        public OracleTeacher() : base("oracle")
        {
            using (no_grad())
            {
                head.weight!.zero_();
                head.bias!.fill_(-10);
                for (int k = 0; k < 3; k++)
                {
                    head.weight[k, k] = tensor(5f);
                    head.bias[k] = tensor(-1f);
                }
                head.bias[3] = tensor(0f);
            }
            RegisterComponents();
        }

        public override TorchSharp.Modules.Linear Head => head;

        protected override Tensor ExtractFeatures(Tensor images) => stack(
        [
            images[.., 0, 2..10, 0..8].mean([1L, 2L]),
            images[.., 0, 18..26, 0..8].mean([1L, 2L]),
            images[.., 0, 12..16, 10..18].mean([1L, 2L]),
        ], 1);
    }

    [Fact]
    public void ProbeRestoresTrainingModeAndIsDeterministicForASeed()
    {
        using var data = Tiny(20, 28, 28, 4);
        using var model = Architectures.Create("resnet8", 1, 10, 28, 28);
        model.train();
        using var first = new MutualInformationProbe(data, 0, 1, perClass: 5, copies: 3, every: 1, cropPadding: 2, CPU, seed: 5);
        using var second = new MutualInformationProbe(data, 0, 1, perClass: 5, copies: 3, every: 1, cropPadding: 2, CPU, seed: 5);
        double a = first.Measure(model, step: 3), b = second.Measure(model, step: 3);
        Assert.True(model.training);
        Assert.Equal(a, b, 12);
    }

    [Fact]
    public void TeacherWithOtherClassCountIsAnInputError()
    {
        using var data = Tiny(6, 28, 28, 10);
        using var teacher = Architectures.Create("alexnet", 1, 4, 28, 28);
        var error = Assert.Throws<InputError>(() => VisionDistillation.CheckTeacher(teacher, [1, 28, 28], data, "runs/t"));
        Assert.Equal("--teacher runs/t: the teacher predicts 4 classes but the student's data (fashion-mnist) has 10", error.Message);
    }

    [Fact]
    public void TeacherWithOtherImageShapeIsAnInputError()
    {
        using var data = Tiny(6, 20, 20, 10);
        using var teacher = Architectures.Create("resnet8", 1, 10, 28, 28);
        var error = Assert.Throws<InputError>(() => VisionDistillation.CheckTeacher(teacher, [1, 28, 28], data, "runs/t"));
        Assert.Contains("the teacher takes 1×28×28 images but the student's data has 1×20×20", error.Message);
    }

    [Fact]
    public void ProbeRejectsBadClasses()
    {
        using var data = Tiny(6, 28, 28, 10);
        Assert.Throws<InputError>(() => new MutualInformationProbe(data, 3, 3, 5, 3, 1, 2, CPU, 1));
        Assert.Throws<InputError>(() => new MutualInformationProbe(data, 0, 10, 5, 3, 1, 2, CPU, 1));
    }

    /// <summary>Random images with labels cycling through the first <paramref name="labelCount"/> classes.</summary>
    static ImageDataset Tiny(int count, int height, int width, int labelCount)
    {
        var generator = new Generator(seed: 9);
        return new ImageDataset(randint(0, 256, [count, 1, height, width], generator: generator).to(ScalarType.Byte),
            arange(count) % labelCount, ImageDatasets.FashionMnist);
    }
}
