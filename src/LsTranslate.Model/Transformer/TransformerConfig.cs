using System.Text.Json.Serialization;

namespace LsTranslate.Model.Transformer;

/// <summary>Architecture of a <see cref="Seq2SeqTransformer"/>; stored in a model directory's config.json.</summary>
public sealed record TransformerConfig
{
    public int VocabSize { get; init; }
    public int ModelDim { get; init; } = 256;
    public int EncoderLayers { get; init; } = 3;
    public int DecoderLayers { get; init; } = 3;
    public int Heads { get; init; } = 4;
    public int FeedForwardDim { get; init; } = 1024;
    public double Dropout { get; init; } = 0.1;
    public double AttentionDropout { get; init; } = 0.0;
    /// <summary>Dropout on the feed-forward block's hidden activations (fairseq's --activation-dropout); null: <see cref="Dropout"/>, as models trained before the two were told apart.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ActivationDropout { get; init; }
    /// <summary>Pre-norm (layer norm before each sublayer) trains stably without long warmup; post-norm is the 2017 original.</summary>
    public bool PreNorm { get; init; } = true;
    public int MaxPositions { get; init; } = 1024;
    /// <summary>The feed-forward block's nonlinearity: ReLU (ours, fairseq's) or what an imported model was trained with.</summary>
    public FeedForwardActivation Activation { get; init; } = FeedForwardActivation.Relu;
    /// <summary>Where the sines and cosines of a position sit in its vector (<see cref="SinusoidalPositions"/>).</summary>
    public PositionLayout PositionLayout { get; init; } = PositionLayout.Interleaved;
    /// <summary>Token embeddings × √d before the positions are added (Vaswani et al.); some imported models do without.</summary>
    public bool ScaleEmbedding { get; init; } = true;
    /// <summary>A learned bias on the output logits (Marian's final_logits_bias); ours train without one.</summary>
    public bool OutputBias { get; init; }
    /// <summary>The source side's own vocabulary and embedding table; null: one table shared by source, target and output.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SourceVocabSize { get; init; }

    [JsonIgnore] public int HeadDim => ModelDim / Heads;

    public static readonly IReadOnlyList<string> PresetNames = ["tiny", "small", "base"];

    /// <summary>tiny: tests; small: the CPU default; base: the paper's transformer-base.</summary>
    public static TransformerConfig Preset(string name, int vocabSize) => name switch
    {
        "tiny" => new() { VocabSize = vocabSize, ModelDim = 32, EncoderLayers = 1, DecoderLayers = 1, Heads = 2, FeedForwardDim = 64, Dropout = 0.0 },
        "small" => new() { VocabSize = vocabSize, ModelDim = 256, EncoderLayers = 3, DecoderLayers = 3, Heads = 4, FeedForwardDim = 1024 },
        "base" => new() { VocabSize = vocabSize, ModelDim = 512, EncoderLayers = 6, DecoderLayers = 6, Heads = 8, FeedForwardDim = 2048 },
        _ => throw new InputError($"unknown preset '{name}' (expected one of: {string.Join(", ", PresetNames)})"),
    };

    public void Validate()
    {
        if (VocabSize < 5) throw new InputError($"vocabulary size {VocabSize} is too small");
        if (SourceVocabSize is < 5) throw new InputError($"source vocabulary size {SourceVocabSize} is too small");
        if (ModelDim % Heads != 0) throw new InputError($"model dimension {ModelDim} is not divisible by {Heads} heads");
    }
}

public enum FeedForwardActivation { Relu, Swish, Gelu }

/// <summary>Interleaved: sin at even dimensions, cos at odd (Vaswani et al.'s formula as written); halves: all sines, then all cosines (fairseq, Marian).</summary>
public enum PositionLayout { Interleaved, Halves }
