using System.Text.Json;

namespace LsTranslate.Tests;

/// <summary>
/// Tiny Hugging Face MarianMT directories (random weights, a public OPUS-MT model's real SentencePiece and vocabulary
/// files) with what transformers 4.47's MarianTokenizer, MarianMTModel and generate give on them: tests/Fixtures/Marian,
/// built by scripts/marian-parity/build-fixtures.py (its README says what the reference follows).
/// </summary>
static class MarianFixtures
{
    public static readonly string[] Models = ["shared-swish", "separate-swish", "shared-relu"];

    public static string Dir { get; } = Path.Combine(RepositoryFiles.Root, "tests", "Fixtures", "Marian");

    public static string Model(string name) => Path.Combine(Dir, name);

    /// <summary>The input lines, split at '\n' only (the file holds no other line break).</summary>
    public static string[] Inputs()
    {
        var text = File.ReadAllText(Path.Combine(Dir, "inputs.txt"));
        return text.EndsWith('\n') ? text[..^1].Split('\n') : text.Split('\n');
    }

    public static JsonElement Expected(string model) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Model(model), "expected.json"))).RootElement;

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
