using LsTranslate.Model.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Vision;

/// <summary>One measurement of the probe: optimizer step and I(X;Y) in nats.</summary>
public sealed record MutualInformationPoint(int Step, double Nats);

/// <summary>
/// The paper's Figure 7 measurement, taken while a network trains: N training examples of two classes,
/// L augmented copies of each (the training augmentation), Y = logit of the first class minus logit of
/// the second, and <see cref="LogitMutualInformation.Estimate"/> every k optimizer steps. Pass
/// <see cref="AfterStep"/> to <see cref="VisionTrainer.Train"/>.
/// </summary>
public sealed class MutualInformationProbe : IDisposable
{
    const int ChunkSize = 250;

    readonly ImageDataset examples;
    readonly int firstClass, secondClass, copies, every, cropPadding;
    readonly Device device;
    readonly Generator augment;
    readonly List<MutualInformationPoint> points = [];

    /// <param name="train">training data to take the first <paramref name="perClass"/> examples of each class from.</param>
    public MutualInformationProbe(ImageDataset train, int firstClass, int secondClass, int perClass, int copies, int every,
        int cropPadding, Device device, long seed)
    {
        if (firstClass == secondClass || firstClass < 0 || secondClass < 0 || Math.Max(firstClass, secondClass) >= train.Info.Classes)
            throw new InputError($"mutual information needs two different class ids in 0..{train.Info.Classes - 1}, got {firstClass} and {secondClass}");
        if (perClass < 1 || copies < 2 || every < 1)
            throw new InputError($"mutual information needs ≥ 1 example per class, ≥ 2 copies and a period ≥ 1 step (got {perClass}, {copies}, {every})");
        examples = train.FirstOfClasses([firstClass, secondClass], perClass);
        (this.firstClass, this.secondClass, this.copies, this.every, this.cropPadding, this.device) =
            (firstClass, secondClass, copies, every, cropPadding, device);
        augment = new Generator((ulong)seed);
    }

    /// <summary>N: the examples actually found (fewer than 2 × perClass where the data holds fewer).</summary>
    public long Examples => examples.Count;

    public IReadOnlyList<MutualInformationPoint> Points => points;

    /// <summary>Measures at every k-th step.</summary>
    public void AfterStep(int step, ImageClassifier model)
    {
        if (step % every == 0) points.Add(new MutualInformationPoint(step, Measure(model)));
    }

    /// <summary>I(X;Y) of the model now, in evaluation mode; the model's mode is restored afterwards.</summary>
    public double Measure(ImageClassifier model)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var samples = stack(Enumerable.Range(0, copies).Select(_ => LogitDifferences(model)).ToArray(), 1);
            return LogitMutualInformation.Estimate(samples);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    Tensor LogitDifferences(ImageClassifier model)
    {
        var images = ImageBatches.Augmented(examples, device, augment, cropPadding);
        var logits = cat(images.split(ChunkSize).Select(model.forward).ToArray());
        return (logits[TensorIndex.Colon, firstClass] - logits[TensorIndex.Colon, secondClass]).to(float64).cpu();
    }

    public void Dispose() => examples.Dispose();
}
