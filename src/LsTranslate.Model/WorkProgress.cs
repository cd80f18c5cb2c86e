namespace LsTranslate.Model;

/// <summary>
/// Where long work says how far it is. The command line draws a live bar from it on a terminal; elsewhere (CI, a file)
/// it is <see cref="WorkProgress.None"/> and the plain log lines are all there is.
/// </summary>
public interface IWorkProgress
{
    /// <summary>Whether anyone sees the reports: work that only feeds them (a count, a value read back) can be skipped when not.</summary>
    bool Visible { get; }

    /// <param name="task">what is running ("train", "translate", …): one bar each.</param>
    /// <param name="done">units finished so far.</param>
    /// <param name="total">units in all; null when unknown (a stream), which shows a count and no ETA.</param>
    /// <param name="status">a few words on the state (loss, rate).</param>
    void Report(string task, double done, double? total, string status = "");
}

public static class WorkProgress
{
    public static readonly IWorkProgress None = new NoProgress();

    sealed class NoProgress : IWorkProgress
    {
        public bool Visible => false;

        public void Report(string task, double done, double? total, string status = "") { }
    }
}
