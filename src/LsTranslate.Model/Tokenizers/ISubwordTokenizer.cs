namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// Text ⇄ token ids. Ids 0..3 are the special tokens of every vocabulary we write
/// (see <see cref="SpecialTokens"/>); encoded text never contains them.
/// </summary>
public interface ISubwordTokenizer
{
    /// <summary>The target side's vocabulary: the decoder's inputs and outputs.</summary>
    int VocabSize { get; }

    /// <summary>The source side's vocabulary (the encoder's own table); the same as <see cref="VocabSize"/> where one is shared.</summary>
    int SourceVocabSize => VocabSize;

    /// <summary>Token ids of one source line as the encoder reads it (ours: without BOS/EOS).</summary>
    int[] Encode(string text);

    /// <summary>Token ids of one target line, without BOS/EOS (batches add them).</summary>
    int[] EncodeTarget(string text) => Encode(text);

    /// <summary>The text of ids; special ids are skipped. Decode(Encode(s)) == s for byte-level BPE.</summary>
    string Decode(IEnumerable<int> ids);
}
