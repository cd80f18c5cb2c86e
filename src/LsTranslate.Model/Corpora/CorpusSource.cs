namespace LsTranslate.Model.Corpora;

/// <summary>
/// Where a parallel corpus lives: either one TSV file (source TAB target per line) or two
/// line-aligned files. Any of them may be gzip-compressed.
/// </summary>
public sealed record CorpusSource(string? Tsv, string? SourceFile, string? TargetFile)
{
    public static CorpusSource FromTsv(string path) => new(path, null, null);

    public static CorpusSource Aligned(string src, string tgt) => new(null, src, tgt);

    public string Describe() => Tsv ?? $"{SourceFile} + {TargetFile}";
}
