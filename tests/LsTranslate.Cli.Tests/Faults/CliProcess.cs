using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LsTranslate.Cli.Tests.Faults;

/// <summary>`lstranslate` as its own process (the built lstranslate.dll beside the tests, or another build of it), for what a test cannot do in-process: kill -9, signals, another libtorch.</summary>
sealed class CliProcess : IDisposable
{
    readonly Process process;
    readonly System.Text.StringBuilder stderr = new();
    readonly System.Text.StringBuilder stdout = new();

    CliProcess(Process process) => this.process = process;

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        StartProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstranslate.dll"), .. args], environment);

    /// <summary>Any program (a bundle's launcher, a wrapper around it), its stdin open until <see cref="CloseInput"/>.</summary>
    public static CliProcess StartProgram(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var started = new CliProcess(Process.Start(info)!);
        started.process.ErrorDataReceived += (_, e) => { lock (started.stderr) started.stderr.AppendLine(e.Data); };
        started.process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (started.stdout) started.stdout.AppendLine(e.Data); };
        started.process.BeginErrorReadLine();
        started.process.BeginOutputReadLine();
        return started;
    }

    public string Stderr { get { lock (stderr) return stderr.ToString(); } }

    public string Stdout { get { lock (stdout) return stdout.ToString(); } }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public void WriteInput(string text) => process.StandardInput.Write(text);

    public void CloseInput() => process.StandardInput.Close();

    /// <summary>Waits until stderr shows <paramref name="text"/> (true) or the process ends first (false).</summary>
    public bool WaitFor(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Stderr.Contains(text)) return true;
            if (process.HasExited) return Stderr.Contains(text);
            Thread.Sleep(20);
        }
        throw new TimeoutException($"no '{text}' on stderr after {timeout}: {Stderr}");
    }

    public void KillHard() { if (!process.HasExited) process.Kill(entireProcessTree: true); }

    public void Signal(int signal)
    {
        if (!process.HasExited) kill(process.Id, signal);
    }

    public int Wait(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) { KillHard(); throw new TimeoutException($"still running after {timeout}: {Stderr}"); }
        process.WaitForExit(); // lets the stderr reader finish
        return process.ExitCode;
    }

    public void Dispose()
    {
        KillHard();
        process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
