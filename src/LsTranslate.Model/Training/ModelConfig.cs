using LsTranslate.Model.Transformer;

namespace LsTranslate.Model.Training;

/// <summary>config.json of a model directory: architecture, tokenizer, training options and calibration.</summary>
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
    /// <summary>Temperature fitted on a dev set by `lstranslate calibrate`; null until then.</summary>
    public double? Temperature { get; init; }
    public string? TemperatureFittedOn { get; init; }
}
