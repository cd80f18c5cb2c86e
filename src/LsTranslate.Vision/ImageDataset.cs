using LsTranslate.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision;

/// <summary>
/// Grey images with class labels, kept as bytes ([N,1,H,W] uint8) to stay small; batches are turned into
/// normalised floats by <see cref="ImageBatches"/>.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    public ImageDataset(Tensor pixels, Tensor labels, ImageDatasetInfo info)
    {
        Pixels = pixels;
        Labels = labels;
        Info = info;
    }

    /// <summary>[N,1,H,W] uint8.</summary>
    public Tensor Pixels { get; }

    /// <summary>[N] int64 class ids in [0, Classes).</summary>
    public Tensor Labels { get; }

    public ImageDatasetInfo Info { get; }

    public long Count => Labels.shape[0];

    /// <summary>The examples at the given indices ([M] int64), as a new dataset.</summary>
    public ImageDataset Select(Tensor indices) => new(Pixels.index_select(0, indices), Labels.index_select(0, indices), Info);

    /// <summary>The first <paramref name="count"/> examples of each given class (fewer where a class has fewer), in dataset order.</summary>
    public ImageDataset FirstOfClasses(IReadOnlyList<int> classes, int count)
    {
        using var scope = NewDisposeScope();
        var picks = classes
            .Select(c => nonzero(Labels.eq(c)).flatten()[TensorIndex.Slice(0, count)])
            .ToArray();
        return Select(cat(picks)).MoveOut();
    }

    /// <summary>
    /// Splits off a random held-out part of <paramref name="heldOut"/> examples (the paper tunes on
    /// held-out training data, never on the test set). Returns (remainder, held out).
    /// </summary>
    public (ImageDataset Remainder, ImageDataset HeldOut) Split(long heldOut, long seed)
    {
        if (heldOut <= 0 || heldOut >= Count)
            throw new InputError($"cannot hold out {heldOut} of {Count} examples for validation");
        using var scope = NewDisposeScope();
        var order = randperm(Count, generator: new Generator((ulong)seed));
        var rest = Select(order[TensorIndex.Slice(heldOut)]).MoveOut();
        var held = Select(order[TensorIndex.Slice(0, heldOut)]).MoveOut();
        return (rest, held);
    }

    ImageDataset MoveOut()
    {
        Pixels.MoveToOuterDisposeScope();
        Labels.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}

/// <summary>What a dataset is: its name, class names, whether mirror images keep their class, pixel statistics.</summary>
public sealed record ImageDatasetInfo(string Name, IReadOnlyList<string> ClassNames, bool FlipsKeepClass, double PixelMean, double PixelStd)
{
    public int Classes => ClassNames.Count;
}
