using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;
namespace LsTranslate.Model.Batches;

/// <summary>Token ids of one sentence pair, without BOS/EOS (the batcher adds them).</summary>
public sealed record EncodedPair(int[] Source, int[] Target)
{
    /// <summary>Encodes pairs, skipping those longer than <paramref name="maxLength"/> tokens on either side (as fairseq does) or than the positions the model has.</summary>
    public static (List<EncodedPair> Pairs, int Skipped) EncodeAll(IEnumerable<SentencePair> pairs, ISubwordTokenizer tokenizer, int maxLength, int maxPositions)
    {
        int limit = Math.Min(maxLength, maxPositions - 1);
        var encoded = new List<EncodedPair>();
        int skipped = 0;
        foreach (var pair in pairs)
        {
            var source = tokenizer.Encode(pair.Source);
            var target = tokenizer.EncodeTarget(pair.Target);
            if (source.Length > limit || target.Length > limit) skipped++;
            else encoded.Add(new EncodedPair(source, target));
        }
        return (encoded, skipped);
    }
}
