using System.Buffers.Binary;
using System.IO.Compression;

namespace LsTranslate.Vision.Tests;

/// <summary>Writes small IDX files (plain or gzip) into a temporary directory for tests.</summary>
sealed class IdxTestFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("idx-test-").FullName;

    public string Write(string name, byte[] header, byte[] data, bool gzip = false)
    {
        var path = Path.Combine(Directory, name);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(header);
        stream.Write(data);
        return path;
    }

    public static byte[] Header(params int[] dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
        return header;
    }

    /// <summary>
    /// A learnable toy dataset in Fashion-MNIST file layout, whose classes survive horizontal flips:
    /// class 0 a bright band at the top, 1 at the bottom, 2 a vertical bar in the middle, 3 none; on noise.
    /// Writes train-* and t10k-* files.
    /// </summary>
    public void WriteToyDataset(int train, int test, int seed = 5)
    {
        var random = new Random(seed);
        (int Top, int Bottom, int Left, int Right)[] shapes = [(2, 10, 4, 24), (18, 26, 4, 24), (2, 26, 10, 18), (0, 0, 0, 0)];
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            var labels = new byte[count];
            var pixels = new byte[count * 28 * 28];
            for (int i = 0; i < count; i++)
            {
                int c = random.Next(shapes.Length);
                labels[i] = (byte)c;
                var image = pixels.AsSpan(i * 784, 784);
                for (int p = 0; p < 784; p++) image[p] = (byte)random.Next(0, 90);
                var (top, bottom, left, right) = shapes[c];
                for (int y = top; y < bottom; y++)
                    for (int x = left; x < right; x++) image[y * 28 + x] = (byte)random.Next(180, 256);
            }
            Write($"{prefix}-images-idx3-ubyte.gz", Header(count, 28, 28), pixels, gzip: true);
            Write($"{prefix}-labels-idx1-ubyte", Header(count), labels);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
