using LsTranslate.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision;

/// <summary>Turns a byte dataset into normalised float batches on a device, optionally shuffled and augmented.</summary>
public static class ImageBatches
{
    /// <summary>
    /// Yields (images [B,1,H,W] float32, labels [B] int64); the caller owns and disposes each pair.
    /// Augmentation is random crops from a zero-padded image and, where the
    /// dataset's classes allow it, horizontal flips.
    /// </summary>
    public static IEnumerable<(Tensor Images, Tensor Labels)> Enumerate(
        ImageDataset data, int batchSize, Device device, Generator? shuffle = null, int cropPadding = 0)
    {
        using var order = shuffle is null ? arange(data.Count) : randperm(data.Count, generator: shuffle);
        for (long start = 0; start < data.Count; start += batchSize)
            yield return Batch(data, order, start, Math.Min(data.Count, start + batchSize), device, shuffle, cropPadding);
    }

    // Its own method so that the dispose scope closes before the iterator yields: a scope left open across
    // a yield would swallow tensors the caller moves to its outer scope.
    static (Tensor Images, Tensor Labels) Batch(ImageDataset data, Tensor order, long start, long end, Device device,
        Generator? shuffle, int cropPadding)
    {
        using var scope = NewDisposeScope();
        var indices = order[TensorIndex.Slice(start, end)];
        var images = Prepare(data.Pixels.index_select(0, indices), data.Info, device, shuffle, cropPadding);
        var labels = data.Labels.index_select(0, indices).to(device);
        return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Every image of a (small) dataset in dataset order, normalised and augmented exactly as training
    /// batches are: one random draw of the training augmentation per call.
    /// </summary>
    public static Tensor Augmented(ImageDataset data, Device device, Generator generator, int cropPadding)
    {
        using var scope = NewDisposeScope();
        return Prepare(data.Pixels, data.Info, device, generator, cropPadding).MoveToOuterDisposeScope();
    }

    static Tensor Prepare(Tensor pixels, ImageDatasetInfo info, Device device, Generator? augment, int cropPadding)
    {
        var images = Normalise(pixels.to(device), info);
        if (augment is not null && cropPadding > 0) images = RandomCrop(images, cropPadding, BlackPixel(info), augment);
        if (augment is not null && info.FlipsKeepClass) images = RandomFlip(images, augment);
        return images;
    }

    /// <summary>Bytes to floats with the dataset's mean and standard deviation removed.</summary>
    public static Tensor Normalise(Tensor pixels, ImageDatasetInfo info) =>
        (pixels.to(float32) / 255.0 - info.PixelMean) / info.PixelStd;

    static double BlackPixel(ImageDatasetInfo info) => -info.PixelMean / info.PixelStd;

    /// <summary>Each image cut at its own random offset from a copy padded with black, the background of these images.</summary>
    static Tensor RandomCrop(Tensor images, int padding, double padValue, Generator generator)
    {
        long batch = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        var padded = nn.functional.pad(images, [padding, padding, padding, padding], value: padValue);
        var offsetY = randint(0, 2 * padding + 1, [batch, 1], generator: generator).to(images.device);
        var offsetX = randint(0, 2 * padding + 1, [batch, 1], generator: generator).to(images.device);
        var rows = (offsetY + arange(height, device: images.device)).view(batch, 1, height, 1)
            .expand(batch, channels, height, width + 2 * padding);
        var cols = (offsetX + arange(width, device: images.device)).view(batch, 1, 1, width)
            .expand(batch, channels, height, width);
        return padded.gather(2, rows).gather(3, cols);
    }

    static Tensor RandomFlip(Tensor images, Generator generator)
    {
        var flip = rand(images.shape[0], generator: generator).lt(0.5).to(images.device).view(-1, 1, 1, 1);
        return where(flip, images.flip(3), images);
    }
}
