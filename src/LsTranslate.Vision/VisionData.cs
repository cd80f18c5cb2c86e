namespace LsTranslate.Vision;

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
        var train = First(remainder, options.TrainLimit);
        var test = First(ImageDatasets.Load(options.Dataset, options.DataDir, train: false), options.TestLimit);
        return new VisionData(train, validation, test);
    }

    /// <summary>The first <paramref name="limit"/> examples (all when limit is 0 or larger than the set); disposes the rest.</summary>
    static ImageDataset First(ImageDataset data, int limit)
    {
        if (limit <= 0 || limit >= data.Count) return data;
        using var first = TorchSharp.torch.arange(limit);
        var kept = data.Select(first);
        data.Dispose();
        return kept;
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
