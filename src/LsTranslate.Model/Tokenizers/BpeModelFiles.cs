using LsTranslate.Model.IO;
using System.Text;
using System.Text.Json;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// vocab.json (token → id, the Hugging Face / GPT-2 layout) and merges.txt (a "#version" line, then one
/// "left right" merge per line in rank order). Both are written atomically.
/// </summary>
internal static class BpeModelFiles
{
    public const string VocabFile = "vocab.json", MergesFile = "merges.txt";
    private const string MergesHeader = "#version: 0.2";

    // Byte-level tokens such as "Ġthe" stay legible instead of becoming \u escapes.
    private static readonly JsonSerializerOptions Readable = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool ArePresentIn(string dir) =>
        File.Exists(Path.Combine(dir, VocabFile)) && File.Exists(Path.Combine(dir, MergesFile));

    public static void Write(BpeModel model, string dir)
    {
        AtomicFile.CreateDirectory(dir);
        var vocab = new Dictionary<string, int>();
        for (int id = 0; id < model.Tokens.Count; id++)
            vocab[model.Tokens[id]] = id;
        var merges = new StringBuilder(MergesHeader).Append('\n');
        foreach (var (left, right) in model.Merges)
            merges.Append(left).Append(' ').Append(right).Append('\n');
        // Merges first: a directory with a vocab.json is taken as complete.
        AtomicFile.WriteAllText(Path.Combine(dir, MergesFile), merges.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, VocabFile), JsonSerializer.Serialize(vocab, Readable));
    }

    public static (Dictionary<string, int> Vocab, List<string> Merges) Read(string dir)
    {
        var vocabPath = Path.Combine(dir, VocabFile);
        Dictionary<string, int> vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                ?? throw InputError.At(vocabPath, 0, "expected a JSON object of token → id");
        }
        catch (JsonException e)
        {
            throw InputError.At(vocabPath, e.LineNumber is { } line ? line + 1 : 0, $"not a token → id JSON object ({e.Message})");
        }
        CheckIds(vocab, vocabPath);

        var mergesPath = Path.Combine(dir, MergesFile);
        var merges = new List<string>();
        long lineNumber = 0;
        foreach (var line in CorpusFile.ReadLines(mergesPath))
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))
                continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || !vocab.ContainsKey(parts[0]) || !vocab.ContainsKey(parts[1]) || !vocab.ContainsKey(parts[0] + parts[1]))
                throw InputError.At(mergesPath, lineNumber, "expected a merge \"left right\" of two tokens whose join is in vocab.json");
            merges.Add(line);
        }
        return (vocab, merges);
    }

    private static void CheckIds(Dictionary<string, int> vocab, string path)
    {
        var ids = vocab.Values.Order().ToArray();
        if (ids.Where((id, i) => id != i).Any())
            throw InputError.At(path, 0, $"ids must be 0..{vocab.Count - 1}, each once");
        for (int id = 0; id < SpecialTokens.Names.Length; id++)
            if (!vocab.TryGetValue(SpecialTokens.Names[id], out int found) || found != id)
                throw InputError.At(path, 0, $"{SpecialTokens.Names[id]} must have id {id}");
    }
}
