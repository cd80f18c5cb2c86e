namespace LsTranslate.Model.Text;

/// <summary>
/// Text ⇄ token ids. Ids 0..3 are the special tokens of every vocabulary we write
/// (see <see cref="SpecialTokens"/>); encoded text never contains them.
/// </summary>
public interface ISubwordTokenizer
{
    int VocabSize { get; }

    /// <summary>Token ids of one line, without BOS/EOS.</summary>
    int[] Encode(string text);

    /// <summary>The text of ids; special ids are skipped. Decode(Encode(s)) == s for byte-level BPE.</summary>
    string Decode(IEnumerable<int> ids);
}

public static class SpecialTokens
{
    public const int Pad = 0, Bos = 1, Eos = 2, Unk = 3;
    public static readonly string[] Names = ["<pad>", "<s>", "</s>", "<unk>"];
}
