using System.Text.Json;
using System.Text.Json.Serialization;

namespace LsTranslate.Model.IO;

/// <summary>The one JSON style of our files: camelCase, indented, infinities allowed (a best NLL starts at +∞).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Single-line form for JSONL logs.</summary>
    public static readonly JsonSerializerOptions Line = new(Options) { WriteIndented = false };
}
