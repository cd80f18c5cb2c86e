using LsTranslate.Model;
using System.Text.Json;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision;

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
    readonly long seed;
    readonly string? pointsFile;
    readonly List<MutualInformationPoint> points = [];

    /// <param name="train">training data to take the first <paramref name="perClass"/> examples of each class from.</param>
    /// <param name="pointsFile">JSON file the points are kept in (read at the start, rewritten after each measurement); null: memory only.</param>
    public MutualInformationProbe(ImageDataset train, int firstClass, int secondClass, int perClass, int copies, int every,
        int cropPadding, Device device, long seed, string? pointsFile = null)
    {
        if (firstClass == secondClass || firstClass < 0 || secondClass < 0 || Math.Max(firstClass, secondClass) >= train.Info.Classes)
            throw new InputError($"mutual information needs two different class ids in 0..{train.Info.Classes - 1}, got {firstClass} and {secondClass}");
        if (perClass < 1 || copies < 2 || every < 1)
            throw new InputError($"mutual information needs ≥ 1 example per class, ≥ 2 copies and a period ≥ 1 step (got {perClass}, {copies}, {every})");
        examples = train.FirstOfClasses([firstClass, secondClass], perClass);
        (this.firstClass, this.secondClass, this.copies, this.every, this.cropPadding, this.device, this.seed, this.pointsFile) =
            (firstClass, secondClass, copies, every, cropPadding, device, seed, pointsFile);
        if (pointsFile is not null && File.Exists(pointsFile))
            points.AddRange(Json.Deserialize<List<MutualInformationPoint>>(File.ReadAllText(pointsFile))
                            ?? throw InputError.At(pointsFile, 0, "empty mutual-information file"));
    }

    /// <summary>N: the examples actually found (fewer than 2 × perClass where the data holds fewer).</summary>
    public long Examples => examples.Count;

    public IReadOnlyList<MutualInformationPoint> Points => points;

    /// <summary>Measures at every k-th step; points a killed run measured past its last checkpoint are replaced.</summary>
    public void AfterStep(int step, ImageClassifier model)
    {
        if (step % every != 0) return;
        points.RemoveAll(p => p.Step >= step);
        points.Add(new MutualInformationPoint(step, Measure(model, step)));
        if (pointsFile is not null) AtomicFile.WriteAllText(pointsFile, JsonSerializer.Serialize(points, Json.Options));
    }

    /// <summary>
    /// I(X;Y) of the model now, in evaluation mode and fp32 (its mode and precision are restored afterwards), with the
    /// augmentation drawn for this step: bf16 rounding would add to the within-example variance the estimate rests on.
    /// </summary>
    public double Measure(ImageClassifier model, int step)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var fp32 = model.InPrecision(Precision.Fp32);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var augment = new Generator((ulong)(seed + step));
            var samples = stack(Enumerable.Range(0, copies).Select(_ => LogitDifferences(model, augment)).ToArray(), 1);
            return LogitMutualInformation.Estimate(samples);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    Tensor LogitDifferences(ImageClassifier model, Generator augment)
    {
        var images = ImageBatches.Augmented(examples, device, augment, cropPadding);
        var logits = cat(images.split(ChunkSize).Select(model.forward).ToArray());
        return (logits[TensorIndex.Colon, firstClass] - logits[TensorIndex.Colon, secondClass]).to(float64).cpu();
    }

    public void Dispose() => examples.Dispose();
}
