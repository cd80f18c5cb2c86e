using Microsoft.ML.Tokenizers;

namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// Our byte-level BPE, run by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> (byte-level mode,
/// our <see cref="PreTokenization"/>, no normalizer), so Decode(Encode(s)) == s for any text.
/// </summary>
internal sealed class ByteLevelBpeTokenizer : ISubwordTokenizer
{
    private readonly BpeTokenizer _bpe;

    public ByteLevelBpeTokenizer(string dir)
    {
        var (vocab, merges) = BpeModelFiles.Read(dir);
        VocabSize = vocab.Count;
        // No special tokens are declared to the library: text that spells "<s>" is encoded as bytes,
        // so encoded text never contains our special ids.
        _bpe = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            PreTokenizer = new RegexPreTokenizer(PreTokenization.Pieces(), null),
            ByteLevel = true,
        });
    }

    public int VocabSize { get; }

    public int[] Encode(string text) => [.. _bpe.EncodeToIds(text)];

    public string Decode(IEnumerable<int> ids) =>
        _bpe.Decode(ids.Where(id => id >= SpecialTokens.Names.Length));
}
