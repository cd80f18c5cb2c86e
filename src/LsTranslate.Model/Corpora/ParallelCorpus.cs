namespace LsTranslate.Model.Corpora;

/// <summary>
/// Streams sentence pairs from a <see cref="CorpusSource"/>, checking every line: strict UTF-8, exactly
/// one tab (TSV), no empty side, equal line counts (aligned files), at least one pair.
/// </summary>
public static class ParallelCorpus
{
    public static IEnumerable<SentencePair> Read(CorpusSource source)
    {
        var pairs = source switch
        {
            { Tsv: { } tsv, SourceFile: null, TargetFile: null } => ReadTsv(tsv),
            { Tsv: null, SourceFile: { } src, TargetFile: { } tgt } => ReadAligned(src, tgt),
            _ => throw new InputError("a corpus is either one TSV file or a source file and a target file"),
        };
        bool any = false;
        foreach (var pair in pairs)
        {
            any = true;
            yield return pair;
        }
        if (!any)
            throw InputError.At(source.Describe(), 0, "the corpus has no sentence pairs");
    }

    private static IEnumerable<SentencePair> ReadTsv(string path)
    {
        long lineNumber = 0;
        foreach (var line in CorpusFile.ReadLines(path))
        {
            lineNumber++;
            int tab = line.IndexOf('\t');
            if (tab < 0)
                throw InputError.At(path, lineNumber, "expected source<TAB>target, found no tab");
            int tabs = line.AsSpan().Count('\t');
            if (tabs > 1)
                throw InputError.At(path, lineNumber, $"expected exactly one tab, found {tabs}");
            yield return Checked(line[..tab], line[(tab + 1)..], path, path, lineNumber);
        }
    }

    private static IEnumerable<SentencePair> ReadAligned(string sourcePath, string targetPath)
    {
        using var sources = CorpusFile.ReadLines(sourcePath).GetEnumerator();
        using var targets = CorpusFile.ReadLines(targetPath).GetEnumerator();
        long lineNumber = 0;
        while (true)
        {
            bool hasSource = sources.MoveNext(), hasTarget = targets.MoveNext();
            if (!hasSource && !hasTarget)
                yield break;
            lineNumber++;
            if (hasSource != hasTarget)
            {
                long sourceCount = hasSource ? lineNumber + CountRest(sources) : lineNumber - 1;
                long targetCount = hasTarget ? lineNumber + CountRest(targets) : lineNumber - 1;
                throw new InputError(
                    $"aligned files differ in length: {sourcePath} has {sourceCount} lines, {targetPath} has {targetCount}");
            }
            yield return Checked(sources.Current, targets.Current, sourcePath, targetPath, lineNumber);
        }
    }

    private static long CountRest(IEnumerator<string> lines)
    {
        long count = 0;
        while (lines.MoveNext())
            count++;
        return count;
    }

    private static SentencePair Checked(string source, string target, string sourceFile, string targetFile, long lineNumber)
    {
        if (source.Length == 0)
            throw InputError.At(sourceFile, lineNumber, "empty source side");
        if (target.Length == 0)
            throw InputError.At(targetFile, lineNumber, "empty target side");
        return new SentencePair(source, target, sourceFile, lineNumber);
    }
}
