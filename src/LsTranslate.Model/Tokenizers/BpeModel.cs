namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// A learned byte-level BPE: Tokens[id] is the token's string in the <see cref="ByteLevelAlphabet"/>
/// (ids 0..3 the special names, then the 256 bytes in byte order, then merged tokens); Merges in rank order.
/// </summary>
internal sealed record BpeModel(IReadOnlyList<string> Tokens, IReadOnlyList<(string Left, string Right)> Merges)
{
    public const int FirstByteId = 4;
    public const int MinVocabSize = FirstByteId + 256;
}
