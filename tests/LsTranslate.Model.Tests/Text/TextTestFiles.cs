using System.IO.Compression;

namespace LsTranslate.Model.Tests.Text;

/// <summary>The repository's corpora and a scratch directory per test class.</summary>
internal sealed class TextTestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("lst-text-").FullName;

    public static string Corpus(string name) => Path.Combine(LsTranslate.Tests.RepositoryFiles.Root, "corpora", "en-de", name);

    public string Write(string name, byte[] bytes, bool gzip = false)
    {
        var path = Path.Combine(Dir, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zipped = new GZipStream(file, CompressionLevel.Fastest);
            zipped.Write(bytes);
        }
        else
            File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Write(string name, string text, bool gzip = false) =>
        Write(name, System.Text.Encoding.UTF8.GetBytes(text), gzip);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
