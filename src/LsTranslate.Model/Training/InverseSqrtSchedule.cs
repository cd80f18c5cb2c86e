namespace LsTranslate.Model.Training;

/// <summary>
/// Linear warmup to the peak rate, then decay with 1/sqrt(step) (Vaswani et al.; fairseq's inverse_sqrt).
/// A pure function of the step, so a resumed run needs no scheduler state.
/// </summary>
public static class InverseSqrtSchedule
{
    public static double At(long step, double peak, int warmup)
    {
        long s = Math.Max(step, 1);
        return peak * Math.Min((double)s / warmup, Math.Sqrt((double)warmup / s));
    }
}
