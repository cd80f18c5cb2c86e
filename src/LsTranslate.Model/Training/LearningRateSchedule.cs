namespace LsTranslate.Model.Training;

/// <summary>
/// Learning rate at an update: linear warmup to the peak, then either 1/sqrt(step) decay (Vaswani et al.;
/// fairseq's inverse_sqrt) or a cosine from the peak down to a tenth of it at the last update (nanoGPT's
/// schedule: a fixed budget ends annealed, so the final checkpoint has settled). A pure function of the
/// step, so a resumed run needs no scheduler state.
/// </summary>
public static class LearningRateSchedule
{
    public const string InverseSqrt = "inverse-sqrt";
    public const string Cosine = "cosine";
    public static readonly IReadOnlyList<string> Names = [InverseSqrt, Cosine];
    const double CosineFloor = 0.1;

    public static double At(string schedule, long step, double peak, int warmup, long? lastStep)
    {
        long s = Math.Max(step, 1);
        if (s < warmup) return peak * s / warmup;
        if (schedule == InverseSqrt) return peak * Math.Sqrt((double)warmup / s);
        long end = lastStep ?? throw new InvalidOperationException("the cosine schedule needs the last step");
        double done = Math.Clamp((double)(s - warmup) / Math.Max(end - warmup, 1), 0, 1);
        return peak * (CosineFloor + (1 - CosineFloor) * 0.5 * (1 + Math.Cos(Math.PI * done)));
    }
}
