using System.Text.Json;

namespace LsTranslate.Model.IO;

/// <summary>
/// What a stored recipe and a requested one disagree on, field by field ("lr: 0.001 → 0.002"): the one compatibility
/// check behind every "this directory holds a model trained with other options" refusal.
/// </summary>
public static class JsonDifferences
{
    public static IReadOnlyList<string> Fields<T>(T stored, T wanted)
    {
        using var old = JsonDocument.Parse(JsonSerializer.Serialize(stored, Json.Options));
        using var now = JsonDocument.Parse(JsonSerializer.Serialize(wanted, Json.Options));
        return now.RootElement.EnumerateObject()
            .Select(field => (field, found: old.RootElement.TryGetProperty(field.Name, out var before), before))
            .Where(f => !f.found || f.before.GetRawText() != f.field.Value.GetRawText())
            .Select(f => $"{f.field.Name}: {(f.found ? f.before.GetRawText() : "none")} → {f.field.Value.GetRawText()}")
            .ToList();
    }
}
