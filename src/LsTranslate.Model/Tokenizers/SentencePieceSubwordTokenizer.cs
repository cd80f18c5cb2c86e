using Microsoft.ML.Tokenizers;

namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// A SentencePiece model (BPE or unigram) run by Microsoft.ML.Tokenizers. Id mapping: SentencePiece
/// piece k is our id k + 4, so our ids 0..3 stay <see cref="SpecialTokens"/>; the model's own control
/// pieces (its &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;) sit shifted like any piece, and BOS/EOS are never
/// added by the encoder (the batcher adds ours).
/// </summary>
internal sealed class SentencePieceSubwordTokenizer : ISubwordTokenizer
{
    public const string ModelFile = "sentencepiece.model";
    private static readonly int Offset = SpecialTokens.Names.Length;
    private readonly SentencePieceTokenizer _spm;

    public SentencePieceSubwordTokenizer(string modelPath)
    {
        try
        {
            using var stream = File.OpenRead(modelPath);
            _spm = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not InputError)
        {
            throw InputError.At(modelPath, 0, $"not a SentencePiece model ({e.Message})");
        }
        VocabSize = Offset + _spm.Vocabulary.Count;
    }

    public int VocabSize { get; }

    public int[] Encode(string text) =>
        [.. _spm.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false).Select(id => id + Offset)];

    public string Decode(IEnumerable<int> ids) =>
        _spm.Decode(ids.Where(id => id >= Offset).Select(id => id - Offset));
}
