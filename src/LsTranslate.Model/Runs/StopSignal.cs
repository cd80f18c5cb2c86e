using System.Runtime.InteropServices;

namespace LsTranslate.Model.Runs;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (a scheduler) as a request to stop training after the current update, as Marian's
/// save-and-exit does: while a training loop listens, the first signal is only recorded; the loop sees it after its
/// update, saves what it can and throws <see cref="TrainingStopped"/>. A second signal ends the process at once;
/// the atomic writes leave the last checkpoint intact either way. A second one within <see cref="SameStop"/> of the
/// first is the same request arriving twice — a scheduler signalling the whole process group while the side-by-side
/// parent (`reproduce translation`) passes its own on — and is not taken as the impatient second Ctrl-C.
/// </summary>
public static class StopSignal
{
    static readonly TimeSpan SameStop = TimeSpan.FromSeconds(1);
    static int received;
    static long firstAt;

    /// <summary>The signal received since listening began, or null.</summary>
    public static PosixSignal? Received => received == 0 ? null : (PosixSignal)received;

    /// <summary>Starts listening; disposing the result restores the default (stop at once).</summary>
    public static IDisposable Listen()
    {
        received = 0;
        return new Registrations([PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)]);
    }

    static void Handle(PosixSignalContext context)
    {
        long now = Environment.TickCount64;
        if (Interlocked.CompareExchange(ref received, (int)context.Signal, 0) == 0)
        {
            Volatile.Write(ref firstAt, now);
            context.Cancel = true;
            return;
        }
        // A later second signal takes the default action: the process ends now.
        context.Cancel = now - Volatile.Read(ref firstAt) < (long)SameStop.TotalMilliseconds;
    }

    /// <summary>Throws <see cref="TrainingStopped"/> when a signal came; <paramref name="saved"/> says what was kept (after saving it).</summary>
    public static void ThrowIfReceived(Func<string> saved) => ThrowIf(Received is not null, saved);

    /// <summary>
    /// Throws <see cref="TrainingStopped"/> when <paramref name="stopping"/>: the ranks of a run agree on it, and a rank
    /// that saw no signal itself stops as for SIGTERM.
    /// </summary>
    public static void ThrowIf(bool stopping, Func<string> saved)
    {
        if (!stopping) return;
        var signal = Received ?? PosixSignal.SIGTERM;
        var (name, code) = signal == PosixSignal.SIGTERM ? ("SIGTERM", 143) : ("SIGINT", 130);
        throw new TrainingStopped($"stopped by {name}: {saved()}; rerun the same command to continue", code);
    }

    sealed class Registrations(IReadOnlyList<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}

/// <summary>Training stopped on a signal after saving; the command exits with <see cref="ExitCode"/> (128 + the signal, as shells report it).</summary>
public sealed class TrainingStopped(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
