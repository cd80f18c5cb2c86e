namespace LsTranslate.Model.Training;

/// <summary>Where a run stands; saved in checkpoint.last so a resumed run continues exactly here.</summary>
public sealed record TrainingProgress
{
    public long Step { get; init; }
    public int Epoch { get; init; }
    /// <summary>Index, in the epoch's batch plan, of the next batch to train on.</summary>
    public int NextBatch { get; init; }
    public long TargetTokensSeen { get; init; }
    public double ElapsedSeconds { get; init; }
    public double BestDevNll { get; init; } = double.PositiveInfinity;
    public long BestStep { get; init; }
    public int ValidationsSinceBest { get; init; }
}
