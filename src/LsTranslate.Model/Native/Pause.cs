using System.Runtime.InteropServices;

namespace LsTranslate.Model.Native;

/// <summary>
/// Sleeps for microseconds: Thread.Sleep counts whole milliseconds, and a pause of 0 only yields, which keeps a waiting
/// process on its core whenever nothing else is ready to run there.
/// </summary>
static class Pause
{
    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
    static extern int NanoSleep(in TimeSpec duration, IntPtr remaining);

    public static void For(TimeSpan duration)
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(duration);
            return;
        }
        long nanoseconds = duration.Ticks * 100;
        // An interrupted sleep (a signal) just ends early: the caller polls again.
        NanoSleep(new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 }, IntPtr.Zero);
    }
}
