namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// The GPT-2 byte ⇄ character mapping: each of the 256 byte values gets one printable, non-space
/// character, so byte-level tokens can be stored as plain strings in vocab.json / merges.txt and a
/// merge line "left right" is never ambiguous. Microsoft.ML.Tokenizers' byte-level BPE uses the same map.
/// </summary>
internal static class ByteLevelAlphabet
{
    public static readonly char[] CharOfByte = Build();

    private static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = (char)(printable ? b : next++);
        }
        return map;
    }
}
