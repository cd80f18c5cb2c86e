using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Marian;

/// <summary>
/// Hugging Face's MarianTokenizer (the slow one, transformers 4.47), in our id layout (<see cref="MarianVocabulary"/>).
/// Encoding: the text is cut at the special pieces written in it (kept as tokens); in each other part a leading
/// language code such as <c>&gt;&gt;deu&lt;&lt;</c> stays one token and the rest goes through the side's SentencePiece
/// model; pieces become ids through vocab.json (missing: UNK); the source side ends with EOS, as Marian's encoder reads it.
/// Decoding: special ids are dropped, pieces joined as SentencePiece decodes them, ▁ made a space, the ends stripped,
/// and Hugging Face's clean-up of spaces before punctuation applied where tokenizer_config.json asks for it.
/// </summary>
public sealed partial class MarianTokenizer : ISubwordTokenizer
{
    public const string SourceModelFile = "source.spm", TargetModelFile = "target.spm", VocabFile = "vocab.json",
        TargetVocabFile = "target_vocab.json", ConfigFile = "tokenizer_config.json";

    /// <summary>Every file the tokenizer may read from a model directory.</summary>
    public static readonly IReadOnlyList<string> FileNames = [SourceModelFile, TargetModelFile, VocabFile, TargetVocabFile, ConfigFile];

    readonly SentencePieceTokenizer sourceModel, targetModel;
    readonly MarianVocabulary sourceVocabulary, targetVocabulary;
    readonly MarianSpecialPieces specials;
    readonly bool cleanUpSpaces;

    public static bool IsIn(string dir) => File.Exists(Path.Combine(dir, SourceModelFile)) && File.Exists(Path.Combine(dir, VocabFile));

    public MarianTokenizer(string dir)
    {
        string configPath = Path.Combine(dir, ConfigFile);
        var config = File.Exists(configPath) ? MarianConfig.ReadObject(configPath) : null;
        specials = new MarianSpecialPieces(
            Eos: SpecialPiece(config, "eos_token") ?? "</s>", Unk: SpecialPiece(config, "unk_token") ?? "<unk>", Pad: SpecialPiece(config, "pad_token") ?? "<pad>");
        // Hugging Face's default since 4.45 when the file does not say.
        cleanUpSpaces = config?["clean_up_tokenization_spaces"]?.GetValue<bool>() ?? false;
        bool separate = config?["separate_vocabs"]?.GetValue<bool>() ?? false;
        Languages = config?["source_lang"]?.GetValue<string>() is { } from && config["target_lang"]?.GetValue<string>() is { } to ? $"{from}-{to}" : null;
        sourceModel = LoadModel(Path.Combine(dir, SourceModelFile));
        targetModel = File.Exists(Path.Combine(dir, TargetModelFile)) ? LoadModel(Path.Combine(dir, TargetModelFile)) : sourceModel;
        sourceVocabulary = new MarianVocabulary(Path.Combine(dir, VocabFile), specials);
        string targetVocab = Path.Combine(dir, TargetVocabFile);
        if (separate && !File.Exists(targetVocab))
            throw InputError.At(targetVocab, 0, "no such file: tokenizer_config.json says separate_vocabs");
        targetVocabulary = separate ? new MarianVocabulary(targetVocab, specials) : sourceVocabulary;
    }

    /// <summary>"SRC-TGT" from tokenizer_config.json's source_lang and target_lang, where it has both.</summary>
    public string? Languages { get; }

    public MarianVocabulary SourceVocabulary => sourceVocabulary;
    public MarianVocabulary TargetVocabulary => targetVocabulary;
    public int VocabSize => targetVocabulary.Count;
    public int SourceVocabSize => sourceVocabulary.Count;

    public int[] Encode(string text) => [.. Pieces(text, sourceModel).Select(sourceVocabulary.IdOf), SpecialTokens.Eos];

    public int[] EncodeTarget(string text) => [.. Pieces(text, targetModel).Select(targetVocabulary.IdOf)];

    public string Decode(IEnumerable<int> ids)
    {
        var joined = new StringBuilder();
        foreach (int id in ids)
        {
            if (id < SpecialTokens.Names.Length || id >= targetVocabulary.Count) continue;
            joined.Append(DecodedPiece(targetVocabulary.PieceOf(id)));
        }
        var text = joined.ToString().Trim();
        return cleanUpSpaces ? CleanUpSpaces(text) : text;
    }

    /// <summary>
    /// The pieces of one line: cut at special pieces written in the text (Hugging Face's added-tokens split, longest
    /// match first), each other part as <see cref="PartPieces"/>.
    /// </summary>
    IEnumerable<string> Pieces(string text, SentencePieceTokenizer model)
    {
        int start = 0;
        while (start < text.Length)
        {
            var (at, special) = NextSpecial(text, start);
            if (at > start) foreach (var piece in PartPieces(text[start..at], model)) yield return piece;
            if (special is null) yield break;
            yield return special;
            start = at + special.Length;
        }
    }

    (int At, string? Special) NextSpecial(string text, int from)
    {
        int best = text.Length;
        string? found = null;
        foreach (var special in specials.All)
        {
            int at = text.IndexOf(special, from, StringComparison.Ordinal);
            if (at >= 0 && (at < best || (at == best && special.Length > found!.Length))) (best, found) = (at, special);
        }
        return (best, found);
    }

    /// <summary>
    /// MarianTokenizer._tokenize (4.47): a language code <c>&gt;&gt;.+&lt;&lt;</c> (greedy: to the last "&lt;&lt;" of the
    /// line) at the start of the part is one piece; every such match anywhere in the part is removed before SentencePiece.
    /// </summary>
    static IEnumerable<string> PartPieces(string part, SentencePieceTokenizer model)
    {
        var first = LanguageCode().Match(part);
        if (first.Success && first.Index == 0) yield return first.Value;
        foreach (var piece in SentencePieces(LanguageCode().Replace(part, ""), model)) yield return piece;
    }

    [GeneratedRegex(">>.+<<")]
    private static partial Regex LanguageCode();

    /// <summary>
    /// SentencePiece's pieces of a text. Microsoft.ML.Tokenizers gives each unknown character its own unknown piece, where
    /// SentencePiece's unigram model merges a run of them into one: merged here.
    /// </summary>
    static IEnumerable<string> SentencePieces(string text, SentencePieceTokenizer model)
    {
        if (text.Length == 0) yield break;
        var tokens = model.EncodeToTokens(text, out _, addBeginningOfSentence: false, addEndOfSentence: false);
        StringBuilder? unknown = null;
        foreach (var token in tokens)
        {
            if (token.Id == model.UnknownId)
            {
                (unknown ??= new StringBuilder()).Append(token.Value);
                continue;
            }
            if (unknown is not null) { yield return unknown.ToString(); unknown = null; }
            yield return token.Value;
        }
        if (unknown is not null) yield return unknown.ToString();
    }

    /// <summary>
    /// A piece as SentencePiece's decode_pieces writes it: its control pieces vanish, its unknown piece is " ⁇ ", ▁ is a
    /// space, and a piece the model does not know (a language code, say) stays as written, ▁ and all.
    /// </summary>
    string DecodedPiece(string piece)
    {
        if (piece == targetModel.BeginningOfSentenceToken || piece == targetModel.EndOfSentenceToken) return "";
        if (piece == targetModel.UnknownToken) return " \u2047 ";
        return targetModel.Vocabulary.ContainsKey(piece) ? piece.Replace('▁', ' ') : piece;
    }

    /// <summary>Hugging Face's clean_up_tokenization, replacement by replacement in its order.</summary>
    static string CleanUpSpaces(string text) => text
        .Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
        .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re");

    static SentencePieceTokenizer LoadModel(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not InputError)
        {
            throw InputError.At(path, 0, $"not a SentencePiece model ({e.Message})");
        }
    }

    /// <summary>A special piece as tokenizer_config.json gives it: a string, or an added-token object with its "content".</summary>
    static string? SpecialPiece(JsonObject? config, string key) => config?[key] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonObject added => added["content"]?.GetValue<string>(),
        _ => null,
    };
}
