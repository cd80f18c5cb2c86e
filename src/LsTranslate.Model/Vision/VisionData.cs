namespace LsTranslate.Model.Vision;

/// <summary>The three parts of a run's data: training, held-out validation (from the training files) and test.</summary>
public sealed class VisionData : IDisposable
{
    VisionData(ImageDataset train, ImageDataset validation, ImageDataset test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    public ImageDataset Train { get; }
    public ImageDataset Validation { get; }
    public ImageDataset Test { get; }

    /// <summary>Loads the dataset and splits validation off the training files exactly as the options say.</summary>
    public static VisionData Load(VisionTrainOptions options)
    {
        using var all = ImageDatasets.Load(options.Dataset, options.DataDir, train: true);
        var (remainder, validation) = all.Split(options.Validation, options.Seed);
        var train = remainder;
        if (options.TrainLimit > 0 && options.TrainLimit < remainder.Count)
        {
            using var first = TorchSharp.torch.arange(options.TrainLimit);
            train = remainder.Select(first);
            remainder.Dispose();
        }
        var test = ImageDatasets.Load(options.Dataset, options.DataDir, train: false);
        return new VisionData(train, validation, test);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
