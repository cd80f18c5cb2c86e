namespace LsTranslate.Model.Tokenizers;

/// <summary>The ids 0–3 every vocabulary we write begins with, and their pieces' names.</summary>
public static class SpecialTokens
{
    public const int Pad = 0, Bos = 1, Eos = 2, Unk = 3;
    public static readonly string[] Names = ["<pad>", "<s>", "</s>", "<unk>"];
}
