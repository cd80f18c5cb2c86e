using System.Text.RegularExpressions;

namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// Splits text into the pieces BPE merges inside, for learning and for encoding alike. The pieces cover
/// the text completely (every alternative is a class and the classes partition all characters), so
/// nothing is lost: an optional space attaches to the following word, number or punctuation run,
/// letters keep their combining marks, and remaining whitespace forms its own pieces.
/// </summary>
internal static partial class PreTokenization
{
    [GeneratedRegex(@" ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s+(?!\S)|\s+")]
    public static partial Regex Pieces();
}
