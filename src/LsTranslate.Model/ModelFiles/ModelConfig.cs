using System.Text.Json.Serialization;
using LsTranslate.Model.IO;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;

namespace LsTranslate.Model.ModelFiles;

/// <summary>config.json of a translation model directory: architecture, tokenizer, recipe and data.</summary>
public sealed record ModelConfig
{
    public const string CurrentFormat = "lstranslate-model/1";

    public string Format { get; init; } = CurrentFormat;
    public required TransformerConfig Model { get; init; }
    /// <summary>"bpe" (vocab.json + merges.txt learned from the corpus) or "sentencepiece" (an imported .model).</summary>
    public required string Tokenizer { get; init; }
    public required TrainOptions Training { get; init; }
    public required string TrainData { get; init; }
    public string? DevData { get; init; }
    /// <summary>"SRC-TGT" as `train --langs` gave it (metadata for servers and reports, not part of the recipe); null: unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Languages { get; init; }
    /// <summary>How the model decodes by default where it came from elsewhere (Hugging Face's generate); null: our search's defaults.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GenerationDefaults? Generation { get; init; }
    /// <summary>Where `calibrate` recorded its temperature before calibration.json existed; read, never written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Temperature { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TemperatureFittedOn { get; init; }

    /// <summary>
    /// Where <paramref name="wanted"/> and <paramref name="trainData"/> differ from the recipe this model was trained
    /// with, field by field (empty: the same model). Callers first give <paramref name="wanted"/> the stored values
    /// of whatever may differ for them (<see cref="TrainOptions.WithBudgetOf"/>).
    /// </summary>
    public IReadOnlyList<string> RecipeDifferences(TrainOptions wanted, string trainData)
    {
        var differing = JsonDifferences.Fields(Training, wanted).ToList();
        if (TrainData != trainData) differing.Add($"train: {TrainData} → {trainData}");
        return differing;
    }
}
