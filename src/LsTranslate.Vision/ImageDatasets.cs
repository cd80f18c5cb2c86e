using LsTranslate.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Vision;

/// <summary>Loads the IDX-format image datasets we know (Fashion-MNIST, MNIST) from a directory.</summary>
public static class ImageDatasets
{
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";
    public const string FashionMnistInstall = "apt-get install dataset-fashion-mnist";

    public static readonly ImageDatasetInfo FashionMnist = new(
        "fashion-mnist",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        FlipsKeepClass: true, PixelMean: 0.2860, PixelStd: 0.3530);

    // Mirrored digits are not digits (2, 5, 7…), so MNIST gets crops but no flips.
    public static readonly ImageDatasetInfo Mnist = new(
        "mnist", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        FlipsKeepClass: false, PixelMean: 0.1307, PixelStd: 0.3081);

    public static IReadOnlyList<string> Names => ["fashion-mnist", "mnist"];

    public static ImageDatasetInfo Info(string name) => name switch
    {
        "fashion-mnist" => FashionMnist,
        "mnist" => Mnist,
        _ => throw new InputError($"unknown dataset '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>The default directory of a dataset, or null when it has none and needs --data-dir.</summary>
    public static string? DefaultDirectory(string name) => name == "fashion-mnist" ? FashionMnistDirectory : null;

    /// <summary>Loads the training (train-*) or test (t10k-*) split, files plain or gzipped.</summary>
    public static ImageDataset Load(string name, string? directory, bool train)
    {
        var info = Info(name);
        directory ??= DefaultDirectory(name)
            ?? throw new InputError($"dataset '{name}' has no default location: give --data-dir with its IDX files");
        if (!Directory.Exists(directory))
        {
            var fix = directory == FashionMnistDirectory ? $"; install it with: {FashionMnistInstall}" : "";
            throw new InputError($"{directory}: dataset directory not found{fix}");
        }
        var prefix = train ? "train" : "t10k";
        var images = IdxFile.Read(Locate(directory, $"{prefix}-images-idx3-ubyte"), expectedRank: 3);
        var labelsPath = Locate(directory, $"{prefix}-labels-idx1-ubyte");
        var labels = IdxFile.Read(labelsPath, expectedRank: 1);
        if (images.Count != labels.Count)
            throw InputError.At(labelsPath, 0, $"{labels.Count} labels for {images.Count} images");
        int outOfRange = Array.FindIndex(labels.Data, l => l >= info.Classes);
        if (outOfRange >= 0)
            throw InputError.At(labelsPath, 0, $"label {labels.Data[outOfRange]} of example {outOfRange} is out of range (0..{info.Classes - 1})");

        var pixels = tensor(images.Data, dtype: ScalarType.Byte).reshape(images.Count, 1, images.Dimensions[1], images.Dimensions[2]);
        var classes = tensor(labels.Data, dtype: ScalarType.Byte).to(int64);
        return new ImageDataset(pixels, classes, info);
    }

    static string Locate(string directory, string stem)
    {
        foreach (var candidate in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw InputError.At(Path.Combine(directory, stem + ".gz"), 0, $"no such file (nor {stem} uncompressed)");
    }
}
