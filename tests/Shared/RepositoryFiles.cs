namespace LsTranslate.Tests;

static class RepositoryFiles
{
    /// <summary>The checkout's root (where LsTranslate.sln is), found from the test binary's folder.</summary>
    public static string Root { get; } = FindRoot();

    public static string Corpus(string split) => Path.Combine(Root, "corpora", "en-de", $"{split}.tsv.gz");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LsTranslate.sln"))) return dir.FullName;
        throw new InvalidOperationException("LsTranslate.sln not found above the test binaries");
    }
}
