using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Evaluation;

/// <summary>A parallel test set as raw text (for decoding and BLEU) and as token ids (for teacher forcing).</summary>
public sealed record TestSet(IReadOnlyList<string> Sources, IReadOnlyList<string> References, IReadOnlyList<EncodedPair> Encoded)
{
    public static TestSet Read(CorpusSource source, ISubwordTokenizer tokenizer, int? limit = null)
    {
        var pairs = ParallelCorpus.Read(source).ToList();
        if (limit is { } n && n < pairs.Count)
        {
            // The corpus files are sorted by source: an even stride keeps a subset representative.
            double stride = (double)pairs.Count / n;
            pairs = Enumerable.Range(0, n).Select(i => pairs[(int)(i * stride)]).ToList();
        }
        return new TestSet(
            pairs.Select(p => p.Source).ToList(),
            pairs.Select(p => p.Target).ToList(),
            pairs.Select(p => new EncodedPair(tokenizer.Encode(p.Source), tokenizer.EncodeTarget(p.Target))).ToList());
    }
}
