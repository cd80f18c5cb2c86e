using LsTranslate.Model;
using static LsTranslate.Model.OptionField;

namespace LsTranslate.Vision;

/// <summary>
/// Everything that defines a vision training run; stored as config.json in the model directory so that
/// evaluation and projection rebuild the same network and the same validation split.
/// </summary>
public sealed record VisionTrainOptions
{
    public string Dataset { get; init; } = "fashion-mnist";
    public string? DataDir { get; init; }
    public string Arch { get; init; } = "resnet20";
    public double LabelSmoothing { get; init; }
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 128;
    /// <summary>"sgd" (Nesterov momentum, the paper's recipe) or "adam".</summary>
    public string Optimizer { get; init; } = "sgd";
    /// <summary>Null: 0.1 for SGD, 0.001 for Adam.</summary>
    public double? LearningRate { get; init; }
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Epoch fractions at which the learning rate is multiplied by <see cref="DecayFactor"/>.</summary>
    public double[] DecayAt { get; init; } = [0.5, 0.75];
    public double DecayFactor { get; init; } = 0.1;
    /// <summary>Training examples held out for validation (early choice of checkpoint, temperature fitting).</summary>
    public int Validation { get; init; } = 5000;
    /// <summary>Use only this many of the remaining training examples (0 = all): for quick runs.</summary>
    public int TrainLimit { get; init; }
    /// <summary>Measure on only the first this many test examples (0 = all): for smoke runs only.</summary>
    public int TestLimit { get; init; }
    public int CropPadding { get; init; } = 2;
    public long Seed { get; init; } = 1;
    /// <summary>
    /// What the network learns from when it is not the labels alone (for example "distilled from runs/t at T = 2, β = 1"):
    /// part of the options so that a rerun into the same directory resumes only the same training.
    /// </summary>
    public string? Objective { get; init; }

    public double EffectiveLearningRate => LearningRate ?? (Optimizer == "adam" ? 1e-3 : 0.1);

    /// <summary>Rejects values no run can use with an <see cref="InvalidOption"/> naming the field.</summary>
    public VisionTrainOptions Validated()
    {
        ImageDatasets.Info(Dataset);
        if (!Architectures.Names.Contains(Arch)) throw new InvalidOption($"{Option(nameof(Arch))}: unknown architecture '{Arch}' (known: {string.Join(", ", Architectures.Names)})");
        if (Optimizer is not ("sgd" or "adam")) throw new InvalidOption($"{Option(nameof(Optimizer))}: unknown optimizer '{Optimizer}' (known: sgd, adam)");
        if (LabelSmoothing is < 0 or >= 1) throw new InvalidOption($"{Option(nameof(LabelSmoothing))}: {LabelSmoothing} is outside [0, 1)");
        if (Epochs < 1) throw new InvalidOption($"{Option(nameof(Epochs))}: need at least 1, got {Epochs}");
        if (BatchSize < 1) throw new InvalidOption($"{Option(nameof(BatchSize))}: need at least 1, got {BatchSize}");
        if (Validation < 1) throw new InvalidOption($"{Option(nameof(Validation))}: need at least 1 held-out example, got {Validation}");
        if (TrainLimit < 0) throw new InvalidOption($"{Option(nameof(TrainLimit))}: must not be negative, got {TrainLimit}");
        if (TestLimit < 0) throw new InvalidOption($"{Option(nameof(TestLimit))}: must not be negative, got {TestLimit}");
        if (EffectiveLearningRate <= 0) throw new InvalidOption($"{Option(nameof(LearningRate))}: must be positive, got {EffectiveLearningRate}");
        return this;
    }
}
