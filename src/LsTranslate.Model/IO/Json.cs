using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LsTranslate.Model.IO;

/// <summary>
/// The one JSON style of every file and `--format json` output: snake_case (as sacreBLEU and most MT tools write),
/// indented, infinities allowed (a best NLL starts at +∞). Files written before the switch, in camelCase, still
/// load: <see cref="Deserialize{T}"/> reads both spellings.
/// </summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Single-line form for JSONL logs.</summary>
    public static readonly JsonSerializerOptions Line = new(Options) { WriteIndented = false };

    /// <summary>A JSON file in this style, written atomically, with a final newline.</summary>
    public static void WriteFile<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");

    /// <summary>
    /// Reads our JSON in either spelling: property names with capitals (camelCase, from before the switch to
    /// snake_case) are renamed the way the snake_case policy names them, so "maxTokens" and "max_tokens" both
    /// bind to MaxTokens. Our records hold no dictionaries whose keys are data, so every key is a property name.
    /// </summary>
    public static T? Deserialize<T>(string text)
    {
        var node = JsonNode.Parse(text);
        return (HasCapitalKeys(node) ? ToSnake(node) : node).Deserialize<T>(Options);
    }

    static bool HasCapitalKeys(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key.Any(char.IsUpper) || HasCapitalKeys(p.Value)),
        JsonArray a => a.Any(HasCapitalKeys),
        _ => false,
    };

    static JsonNode? ToSnake(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(
            p.Key.Any(char.IsUpper) ? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key) : p.Key, ToSnake(p.Value)))),
        JsonArray a => new JsonArray(a.Select(ToSnake).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
