using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision;

/// <summary>Runs a classifier over a dataset in evaluation mode and gathers its outputs on the CPU.</summary>
public static class VisionEvaluation
{
    /// <summary>Logits [N,K] (float32, CPU) in dataset order.</summary>
    public static Tensor Logits(ImageClassifier model, ImageDataset data, Device device, int batchSize = 500) =>
        Gather(model, data, device, batchSize, model.forward);

    /// <summary>Penultimate activations [N,D] (float32, CPU) in dataset order.</summary>
    public static Tensor Features(ImageClassifier model, ImageDataset data, Device device, int batchSize = 500) =>
        Gather(model, data, device, batchSize, model.Features);

    static Tensor Gather(ImageClassifier model, ImageDataset data, Device device, int batchSize, Func<Tensor, Tensor> run)
    {
        var wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        try
        {
            foreach (var (images, labels) in ImageBatches.Enumerate(data, batchSize, device))
            {
                using var scope = NewDisposeScope();
                using (images)
                using (labels)
                    parts.Add(run(images).to(float32).cpu().DetachFromDisposeScope());
            }
            return cat(parts);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
            model.train(wasTraining);
        }
    }

    /// <summary>Test accuracy, NLL and ECE, and the same after temperature scaling fitted on the validation split.</summary>
    public static CalibrationSummary Measure(ImageClassifier model, VisionData data, Device device)
    {
        using var testLogits = Logits(model, data.Test, device);
        using var validationLogits = Logits(model, data.Validation, device);
        return CalibrationSummary.Measure(testLogits, data.Test.Labels, validationLogits, data.Validation.Labels);
    }

    /// <summary>Fraction of argmax predictions equal to the labels.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return logits.argmax(-1).eq(labels).to(float64).mean().item<double>();
    }
}
