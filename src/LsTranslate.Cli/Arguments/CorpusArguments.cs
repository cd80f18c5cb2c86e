using LsTranslate.Model;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Cli.Arguments;

/// <summary>A corpus given either as one TSV (--x) or as two aligned files (--x-src/--x-tgt).</summary>
static class CorpusArguments
{
    public static CorpusSource? Optional(string name, string? tsv, string? source, string? target)
    {
        if (tsv is not null && (source is not null || target is not null))
            throw new InputError($"give either {name} or {name}-src/{name}-tgt, not both");
        if (tsv is not null) return CorpusSource.FromTsv(tsv);
        if (source is null && target is null) return null;
        if (source is null || target is null) throw new InputError($"{name}-src and {name}-tgt go together");
        return CorpusSource.Aligned(source, target);
    }

    public static CorpusSource Required(string name, string? tsv, string? source, string? target) =>
        Optional(name, tsv, source, target) ?? throw new InputError($"{name} (or {name}-src/{name}-tgt) is required");
}
