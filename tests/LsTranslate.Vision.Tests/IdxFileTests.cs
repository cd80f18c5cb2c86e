using LsTranslate.Vision;

namespace LsTranslate.Vision.Tests;

public class IdxFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsPlainAndGzipFiles(bool gzip)
    {
        using var files = new IdxTestFiles();
        var path = files.Write("images", IdxTestFiles.Header(2, 2, 3), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], gzip);
        var array = IdxFile.Read(path, expectedRank: 3);
        Assert.Equal(new[] { 2, 2, 3 }, array.Dimensions);
        Assert.Equal(12, array.Data[11]);
    }

    [Fact]
    public void TruncatedDataIsAnInputError()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("images", IdxTestFiles.Header(2, 2, 3), [1, 2, 3, 4, 5], gzip: true);
        var error = Assert.Throws<InputError>(() => IdxFile.Read(path, 3));
        Assert.Contains("truncated IDX data", error.Message);
        Assert.Contains("holds 5", error.Message);
    }

    [Fact]
    public void WrongMagicIsAnInputError()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("images", "GIF8"u8.ToArray(), new byte[20]);
        Assert.Contains("not an IDX file", Assert.Throws<InputError>(() => IdxFile.Read(path, 3)).Message);
    }

    [Fact]
    public void WrongRankIsAnInputError()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("labels", IdxTestFiles.Header(3), [0, 1, 2]);
        Assert.Contains("1 dimensions, expected 3", Assert.Throws<InputError>(() => IdxFile.Read(path, 3)).Message);
    }

    [Fact]
    public void LabelAndImageCountMismatchIsAnInputError()
    {
        using var files = new IdxTestFiles();
        files.Write("train-images-idx3-ubyte", IdxTestFiles.Header(2, 28, 28), new byte[2 * 784]);
        files.Write("train-labels-idx1-ubyte", IdxTestFiles.Header(3), [0, 1, 2]);
        var error = Assert.Throws<InputError>(() => ImageDatasets.Load("fashion-mnist", files.Directory, train: true));
        Assert.Contains("3 labels for 2 images", error.Message);
    }

    [Fact]
    public void LabelOutOfRangeIsAnInputError()
    {
        using var files = new IdxTestFiles();
        files.Write("train-images-idx3-ubyte", IdxTestFiles.Header(2, 28, 28), new byte[2 * 784]);
        files.Write("train-labels-idx1-ubyte", IdxTestFiles.Header(2), [3, 10]);
        var error = Assert.Throws<InputError>(() => ImageDatasets.Load("fashion-mnist", files.Directory, train: true));
        Assert.Contains("label 10 of example 1 is out of range (0..9)", error.Message);
    }

    [Fact]
    public void MissingDefaultDirectoryNamesTheAptCommand()
    {
        if (Directory.Exists(ImageDatasets.FashionMnistDirectory))
        {
            var missing = Path.Combine(Path.GetTempPath(), "no-such-dataset-dir");
            Assert.Contains("dataset directory not found", Assert.Throws<InputError>(() => ImageDatasets.Load("fashion-mnist", missing, true)).Message);
            return;
        }
        var error = Assert.Throws<InputError>(() => ImageDatasets.Load("fashion-mnist", null, train: true));
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void LoadsToyDatasetAsTensors()
    {
        using var files = new IdxTestFiles();
        files.WriteToyDataset(train: 40, test: 10);
        using var data = ImageDatasets.Load("fashion-mnist", files.Directory, train: true);
        Assert.Equal(new long[] { 40, 1, 28, 28 }, data.Pixels.shape);
        Assert.Equal(40, data.Count);
        var (remainder, heldOut) = data.Split(8, seed: 1);
        using (remainder)
        using (heldOut)
        {
            Assert.Equal(32, remainder.Count);
            Assert.Equal(8, heldOut.Count);
        }
    }
}
