using System.Text.Json;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Marian;

/// <summary>
/// One side's vocabulary of a Marian model (vocab.json or target_vocab.json: piece → Marian id) in our id layout.
/// Our ids 0..3 are always PAD, BOS, EOS, UNK (<see cref="SpecialTokens"/>), so a Marian vocabulary of V pieces becomes
/// V + 1 of ours: PAD and BOS both stand for Marian's pad piece (Marian's decoder starts from pad: our BOS is that row,
/// and our PAD keeps meaning "no token here"), EOS and UNK for Marian's, and every other piece follows in Marian's order.
/// </summary>
public sealed class MarianVocabulary
{
    readonly Dictionary<string, int> ours = new(StringComparer.Ordinal);
    readonly string[] pieces;

    /// <summary>For each of our ids, the Marian id whose row it takes (PAD and BOS both take pad's).</summary>
    public int[] MarianIds { get; }
    public int Count => MarianIds.Length;
    public int MarianCount { get; }

    public MarianVocabulary(string file, MarianSpecialPieces specials)
    {
        Dictionary<string, int> marian;
        try
        {
            marian = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(file))
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw InputError.At(file, 0, $"not a vocabulary (a JSON object of piece → id): {e.Message}");
        }
        MarianCount = marian.Count;
        var byId = new string?[marian.Count];
        foreach (var (piece, id) in marian)
        {
            if (id < 0 || id >= marian.Count) throw InputError.At(file, 0, $"piece '{piece}' has id {id}, outside 0..{marian.Count - 1}: the ids must be dense");
            if (byId[id] is { } other) throw InputError.At(file, 0, $"pieces '{other}' and '{piece}' share id {id}");
            byId[id] = piece;
        }
        int IdOf(string piece, string role) => marian.TryGetValue(piece, out int id) ? id
            : throw InputError.At(file, 0, $"the {role} piece '{piece}' is not in this vocabulary");
        int pad = IdOf(specials.Pad, "pad"), eos = IdOf(specials.Eos, "eos"), unk = IdOf(specials.Unk, "unk");
        PadId = pad;
        EosId = eos;
        var order = new List<int> { pad, pad, eos, unk };
        order.AddRange(Enumerable.Range(0, marian.Count).Where(id => id != pad && id != eos && id != unk));
        MarianIds = [.. order];
        pieces = MarianIds.Select(id => byId[id]!).ToArray();
        for (int our = SpecialTokens.Names.Length; our < pieces.Length; our++) ours[pieces[our]] = our;
        ours[specials.Eos] = SpecialTokens.Eos;
        ours[specials.Unk] = SpecialTokens.Unk;
        // The pad piece written in a text is a token the encoder attends to (as in Hugging Face), not padding.
        ours[specials.Pad] = SpecialTokens.Bos;
    }

    /// <summary>Marian's ids of its pad and eos pieces (what config.json must agree with).</summary>
    public int PadId { get; }
    public int EosId { get; }

    /// <summary>Our id of a piece; a piece the vocabulary lacks is UNK.</summary>
    public int IdOf(string piece) => ours.TryGetValue(piece, out int id) ? id : SpecialTokens.Unk;

    public string PieceOf(int ourId) => pieces[ourId];
}

/// <summary>The pieces a Marian tokenizer treats as special (tokenizer_config.json: eos_token, unk_token, pad_token).</summary>
public sealed record MarianSpecialPieces(string Eos = "</s>", string Unk = "<unk>", string Pad = "<pad>")
{
    public IEnumerable<string> All => [Eos, Unk, Pad];
}
