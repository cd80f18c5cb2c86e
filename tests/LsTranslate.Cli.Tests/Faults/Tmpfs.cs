using System.Diagnostics;

namespace LsTranslate.Cli.Tests.Faults;

/// <summary>
/// A small tmpfs mounted for a test: a disk that fills up, or one that is read-only. Tests run as root in CI, where
/// permissions deny nothing, so a mount is the one honest way to make a write fail. Mounting needs root (or
/// CAP_SYS_ADMIN); where it is refused, <see cref="TryMount"/> says why and the test is skipped, except in CI, which
/// runs as root: there it fails (<see cref="Prerequisite"/>).
/// </summary>
sealed class Tmpfs : IDisposable
{
    public string Path { get; }

    Tmpfs(string path) => Path = path;

    public static Tmpfs? TryMount(string size, out string why)
    {
        string path = Directory.CreateTempSubdirectory("lst-tmpfs-").FullName;
        why = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (why.Length == 0) return new Tmpfs(path);
        Directory.Delete(path);
        return null;
    }

    public void MakeReadOnly()
    {
        string error = Run("mount", "-o", "remount,ro", Path);
        if (error.Length > 0) throw new InvalidOperationException($"remount read-only failed: {error}");
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    /// <summary>Runs a command; its error output when it fails, else "".</summary>
    static string Run(string command, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args) info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? "" : $"{command} exited {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{command}: {e.Message}";
        }
    }
}
