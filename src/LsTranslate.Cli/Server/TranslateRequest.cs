using System.Text.Json;
using System.Text.Json.Nodes;
using LsTranslate.Decode.Search;
using LsTranslate.Model;

namespace LsTranslate.Cli.Server;

/// <summary>A POST /v1/translate body, checked field by field: any problem is one message for a 400.</summary>
public sealed record TranslateRequest(IReadOnlyList<string> Lines, bool Single, string? Model, SearchOptions Search, bool TemperatureAuto)
{
    static readonly string[] Fields = ["text", "lines", "model", "beam", "lenpen", "nbest", "temperature", "max_len_a", "max_len_b"];

    /// <param name="defaultsFor">the search a model (by the request's name, null: the first) runs where the request is silent.</param>
    /// <exception cref="BadRequest">what is wrong, for the client.</exception>
    public static TranslateRequest Parse(string body, ServeLimits limits, Func<string?, SearchOptions> defaultsFor)
    {
        JsonObject json;
        try { json = JsonNode.Parse(body) as JsonObject ?? throw new BadRequest("the body must be a JSON object"); }
        catch (JsonException e) { throw new BadRequest($"the body is not JSON ({e.Message})"); }
        foreach (var (key, _) in json)
            if (!Fields.Contains(key)) throw new BadRequest($"unknown field '{key}' (known: {string.Join(", ", Fields)})");

        IReadOnlyList<string> lines;
        bool single = json.ContainsKey("text");
        if (single == json.ContainsKey("lines")) throw new BadRequest("give either \"text\" (a string) or \"lines\" (an array of strings)");
        if (single) lines = [String(json, "text")!];
        else
        {
            var array = json["lines"] as JsonArray ?? throw new BadRequest("\"lines\" must be an array of strings");
            lines = array.Select((item, i) => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new BadRequest($"lines[{i}] is not a string")).ToList();
        }
        if (lines.Count == 0) throw new BadRequest("\"lines\" is empty");
        if (lines.Count > limits.MaxLines) throw new BadRequest($"{lines.Count} lines, at most {limits.MaxLines} per request");
        if (lines.Any(l => l.Contains('\n'))) throw new BadRequest("a line must not contain a line break (send several lines)");

        var defaults = defaultsFor(String(json, "model"));
        int beam = Int(json, "beam") ?? defaults.Beam;
        if (beam < 1 || beam > limits.MaxBeam) throw new BadRequest($"beam must be in 1..{limits.MaxBeam}, got {beam}");
        int maxLenB = Int(json, "max_len_b") ?? defaults.MaxLenB;
        if (maxLenB < 0 || maxLenB > limits.MaxLenB) throw new BadRequest($"max_len_b must be in 0..{limits.MaxLenB}, got {maxLenB}");
        bool auto = json["temperature"] is JsonValue t && t.TryGetValue<string>(out var text) && text == "auto";
        var search = defaults with
        {
            Beam = beam,
            NBest = Int(json, "nbest") ?? 1,
            LengthPenalty = Number(json, "lenpen") ?? defaults.LengthPenalty,
            Temperature = auto ? 1 : Number(json, "temperature") ?? defaults.Temperature,
            MaxLenA = Number(json, "max_len_a") ?? defaults.MaxLenA,
            MaxLenB = maxLenB,
        };
        try { search.Validate(); }
        catch (InvalidOption e) { throw new BadRequest(e.Render(FieldOf)); }
        return new TranslateRequest(lines, single, String(json, "model"), search, auto);
    }

    /// <summary>The request's field that sets a search option: "max_len_a" for MaxLenA, but "lenpen" and "nbest" are shorter.</summary>
    static string FieldOf(string property) => property switch
    {
        nameof(SearchOptions.LengthPenalty) => "lenpen",
        nameof(SearchOptions.NBest) => "nbest",
        _ => JsonNamingPolicy.SnakeCaseLower.ConvertName(property),
    };

    static string? String(JsonObject json, string key) => json[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new BadRequest($"\"{key}\" must be a string"),
    };

    static int? Int(JsonObject json, string key) => json[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => throw new BadRequest($"\"{key}\" must be an integer"),
    };

    static double? Number(JsonObject json, string key) => json[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) && double.IsFinite(d) => d,
        _ => throw new BadRequest(key == "temperature" ? "\"temperature\" must be a number or \"auto\"" : $"\"{key}\" must be a number"),
    };
}

/// <summary>A request the server answers with 400 and this message.</summary>
public sealed class BadRequest(string message) : Exception(message);
