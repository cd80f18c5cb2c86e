using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Text;

/// <summary>A BPE learned once on a slice of the default training corpus, shared by the tokenizer tests.</summary>
public sealed class BpeTokenizerFixture : IDisposable
{
    public const int VocabSize = 1000;
    private readonly TextTestFiles _files = new();

    public BpeTokenizerFixture()
    {
        Dir = Path.Combine(_files.Dir, "bpe");
        Texts = ParallelCorpus.Read(CorpusSource.FromTsv(TextTestFiles.Corpus("train.tsv.gz")))
            .Take(3000).SelectMany(p => new[] { p.Source, p.Target }).ToList();
        Tokenizer = SubwordTokenizers.LearnBpe(Texts, VocabSize, Dir);
    }

    public string Dir { get; }
    public IReadOnlyList<string> Texts { get; }
    public ISubwordTokenizer Tokenizer { get; }

    public void Dispose() => _files.Dispose();
}
