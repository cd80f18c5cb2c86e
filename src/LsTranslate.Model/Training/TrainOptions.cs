using static LsTranslate.Model.OptionField;

namespace LsTranslate.Model.Training;

/// <summary>
/// The recipe `lstranslate train` can be told, recorded in config.json so a run can be repeated; where and how fast it
/// runs (<see cref="RunSettings"/>) is not part of it.
/// </summary>
public sealed record TrainOptions
{
    public string Preset { get; init; } = "small";
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

    /// <summary>Throws <see cref="InvalidOption"/> naming the field that is wrong.</summary>
    public void Validate()
    {
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
