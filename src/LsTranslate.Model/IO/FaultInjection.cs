using System.Diagnostics;

namespace LsTranslate.Model.IO;

/// <summary>
/// A test-only hook for the fault-injection tests: LSTRANSLATE_KILL_IN_WRITE=NAME:N kills this process (SIGKILL)
/// halfway through its N-th atomic write of a file called NAME, leaving a half-written temp file, as a power cut
/// would. Unset, it does nothing.
/// </summary>
static class FaultInjection
{
    static readonly (string Name, int Nth)? Target = Parse(Environment.GetEnvironmentVariable("LSTRANSLATE_KILL_IN_WRITE"));
    static int writes;

    static (string, int)? Parse(string? value) =>
        value?.Split(':') is [var name, var nth] && int.TryParse(nth, out int n) ? (name, n) : null;

    public static void MaybeKillDuringWrite(string path, FileStream stream)
    {
        if (Target is not { } target || Path.GetFileName(path) != target.Name || Interlocked.Increment(ref writes) != target.Nth) return;
        stream.SetLength(stream.Length / 2);
        stream.Flush(flushToDisk: true);
        Process.GetCurrentProcess().Kill();
    }
}
