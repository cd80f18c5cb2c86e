using LsTranslate.Model.Transformer;
using static LsTranslate.Model.OptionField;

namespace LsTranslate.Model.Training;

/// <summary>
/// The recipe `lstranslate train` can be told, recorded in config.json so a run can be repeated; where and how fast it
/// runs (<see cref="Runs.RunSettings"/>) is not part of it.
/// </summary>
public sealed record TrainOptions
{
    public string Preset { get; init; } = "small";
    /// <summary>
    /// A model directory (ours, or one `import marian` wrote) whose architecture, tokenizer and best weights the run starts
    /// from, fine-tuning them; the shape and vocabulary options then do not apply. Null: a new model.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Init { get; init; }
    /// <summary>The preset's shape, changed where these are given (null: the preset's).</summary>
    public int? ModelDim { get; init; }
    public int? EncoderLayers { get; init; }
    public int? DecoderLayers { get; init; }
    public int? FeedForwardDim { get; init; }
    public int? Heads { get; init; }
    public int VocabSize { get; init; } = 8000;
    public double LabelSmoothing { get; init; }
    public int MaxTokens { get; init; } = 4096;
    public int UpdateFreq { get; init; } = 1;
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 500;
    /// <summary>inverse-sqrt or cosine (needs --max-steps: it ends at a tenth of the peak there).</summary>
    public string LrSchedule { get; init; } = LearningRateSchedule.InverseSqrt;
    public double ClipNorm { get; init; } = 1.0;
    public double? Dropout { get; init; }
    /// <summary>Dropout on the feed-forward hidden activations; null: as <see cref="Dropout"/>.</summary>
    public double? ActivationDropout { get; init; }
    public bool PostNorm { get; init; }
    public int Seed { get; init; } = 1;
    public long? MaxSteps { get; init; }
    public int? MaxEpochs { get; init; }
    public TimeSpan? MaxTime { get; init; }
    public int ValidateEvery { get; init; } = 200;
    public int LogEvery { get; init; } = 10;
    /// <summary>Validations without a better dev NLL before stopping; 0 never stops early.</summary>
    public int Patience { get; init; }
    /// <summary>Longer pairs (in subword tokens, either side) are skipped, as fairseq does.</summary>
    public int MaxLength { get; init; } = 256;
    /// <summary>Weights-only checkpoints kept from the last validations, for `lstranslate average`.</summary>
    public int KeepLast { get; init; } = 5;

    /// <summary>
    /// These options with <paramref name="other"/>'s budget (steps, epochs, time), which a continued run may change —
    /// except the steps of a cosine schedule, which shape every learning rate before them.
    /// </summary>
    public TrainOptions WithBudgetOf(TrainOptions other) => this with
    {
        MaxSteps = LrSchedule == LearningRateSchedule.Cosine ? MaxSteps : other.MaxSteps, MaxEpochs = other.MaxEpochs, MaxTime = other.MaxTime,
    };

    /// <summary>The network these options train: the preset, reshaped and regularised as they say.</summary>
    public TransformerConfig Architecture(int vocabSize)
    {
        var preset = TransformerConfig.Preset(Preset, vocabSize);
        return preset with
        {
            ModelDim = ModelDim ?? preset.ModelDim,
            EncoderLayers = EncoderLayers ?? preset.EncoderLayers,
            DecoderLayers = DecoderLayers ?? preset.DecoderLayers,
            FeedForwardDim = FeedForwardDim ?? preset.FeedForwardDim,
            Heads = Heads ?? preset.Heads,
            Dropout = Dropout ?? preset.Dropout,
            ActivationDropout = ActivationDropout,
            PreNorm = !PostNorm,
        };
    }

    /// <summary>Throws <see cref="InvalidOption"/> naming the field that is wrong.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(ModelDim), ModelDim), (nameof(EncoderLayers), EncoderLayers), (nameof(DecoderLayers), DecoderLayers), (nameof(FeedForwardDim), FeedForwardDim), (nameof(Heads), Heads) })
            if (value < 1) throw new InvalidOption($"{Option(name)} must be at least 1, got {value}");
        if (Architecture(VocabSize) is var shape && shape.ModelDim % shape.Heads != 0)
            throw new InvalidOption($"{Option(nameof(ModelDim))} {shape.ModelDim} must be divisible by {Option(nameof(Heads))} {shape.Heads}");
        foreach (var (name, value) in new[] { (nameof(Dropout), Dropout), (nameof(ActivationDropout), ActivationDropout) })
            if (value is < 0 or >= 1) throw new InvalidOption($"{Option(name)} must be in [0, 1), got {value}");
        if (LabelSmoothing is < 0 or >= 1) throw new InvalidOption($"{Option(nameof(LabelSmoothing))} must be in [0, 1), got {LabelSmoothing}");
        if (MaxTokens < 16) throw new InvalidOption($"{Option(nameof(MaxTokens))} must be at least 16, got {MaxTokens}");
        if (UpdateFreq < 1) throw new InvalidOption($"{Option(nameof(UpdateFreq))} must be at least 1, got {UpdateFreq}");
        if (LearningRate <= 0) throw new InvalidOption($"{Option(nameof(LearningRate))} must be positive, got {LearningRate}");
        if (WarmupSteps < 1) throw new InvalidOption($"{Option(nameof(WarmupSteps))} must be at least 1, got {WarmupSteps}");
        if (VocabSize < 300) throw new InvalidOption($"{Option(nameof(VocabSize))} must be at least 300 (4 specials + 256 bytes + merges), got {VocabSize}");
        if (ValidateEvery < 1) throw new InvalidOption($"{Option(nameof(ValidateEvery))} must be at least 1, got {ValidateEvery}");
        if (!LearningRateSchedule.Names.Contains(LrSchedule))
            throw new InvalidOption($"{Option(nameof(LrSchedule))}: unknown schedule '{LrSchedule}' (use {string.Join(", ", LearningRateSchedule.Names)})");
        if (LrSchedule == LearningRateSchedule.Cosine && MaxSteps is null)
            throw new InvalidOption($"{Option(nameof(LrSchedule))} cosine needs {Option(nameof(MaxSteps))}: it decays to a tenth of the peak there");
        if (MaxSteps is null && MaxEpochs is null && MaxTime is null)
            throw new InvalidOption($"give a budget: {Option(nameof(MaxSteps))}, {Option(nameof(MaxEpochs))} or {Option(nameof(MaxTime))}");
    }
}
