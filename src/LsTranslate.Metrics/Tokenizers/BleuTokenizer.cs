
namespace LsTranslate.Metrics.Tokenizers;

/// <summary>
/// A sacreBLEU tokenizer: turns a line into space-separated tokens, which BLEU then splits on
/// Python whitespace. Implementations are stateless and thread-safe.
/// </summary>
public abstract class BleuTokenizer
{
    /// <summary>The name used by --tokenize and in the signature (tok:NAME).</summary>
    public abstract string Name { get; }

    /// <summary>Writes the tokenized form of <paramref name="line"/> into <paramref name="output"/> (cleared first).</summary>
    public abstract void Tokenize(ReadOnlySpan<char> line, CharBuffer output);

    public string Tokenize(string line)
    {
        var output = new CharBuffer();
        Tokenize(line, output);
        return string.Join(' ', output.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static readonly IReadOnlyList<string> Names = ["13a", "intl", "char", "none"];

    /// <summary>The tokenizer called <paramref name="name"/>, or null for an unknown name.</summary>
    public static BleuTokenizer? TryCreate(string name) => name switch
    {
        "13a" => new Tokenizer13a(),
        "intl" => new TokenizerIntl(),
        "char" => new TokenizerChar(),
        "none" => new TokenizerNone(),
        _ => null,
    };

    public static BleuTokenizer Create(string name) => TryCreate(name)
        ?? throw new InputError($"unknown tokenizer '{name}' (allowed: {string.Join(", ", Names)})");
}
