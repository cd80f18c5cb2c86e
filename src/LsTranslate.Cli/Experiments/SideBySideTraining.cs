using System.Diagnostics;
using System.Runtime.InteropServices;
using LsTranslate.Model;
using LsTranslate.Model.IO;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Cli.Experiments;

/// <summary>One model's training, as a file a child process reads (`lstranslate train-job FILE`).</summary>
public sealed record TrainJob(string Name, string Train, string Dev, string OutDir, TrainOptions Options, RunSettings Settings, bool Resume, string? Languages)
{
    public TrainRequest ToRequest() =>
        new(CorpusSource.FromTsv(Train), CorpusSource.FromTsv(Dev), OutDir, Options, Settings, Resume: Resume, Languages: Languages);
}

/// <summary>
/// Trains several models at once, each in a process of its own on an equal share of the cores, instead of one after
/// the other on all of them. One process's threads leave a core partly idle between the products (1.5–1.6 of 2 cores
/// used); two processes at one thread each keep both busy: on this project's 2-core machine two bf16 models side by
/// side made 6,034 and 6,548 target tokens/s together against 3,817 and 4,674 for one at two threads (bench/train-throughput
/// `full` at 1 and 2 threads, two interleaved rounds). Each child logs to stderr, which comes out here with the model's name in front.
/// SIGTERM to this process is passed on, so each child saves checkpoint.last after its update and stops; Ctrl-C in a
/// terminal reaches the children itself.
/// </summary>
static class SideBySideTraining
{
    /// <summary>Whether <paramref name="models"/> models can train side by side here: on the CPU, in one process, with a thread each at least.</summary>
    public static bool Applies(int models, RunSettings settings) =>
        models >= 2 && settings.TorchDevice.type == TorchSharp.DeviceType.CPU && !Model.Distributed.Communicator.IsMultiProcess &&
        TotalThreads(settings) >= models;

    static int TotalThreads(RunSettings settings) => settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;

    /// <summary>The settings of each of <paramref name="models"/> children: the cores shared out.</summary>
    public static RunSettings ChildSettings(int models, RunSettings settings) => settings with { Threads = TotalThreads(settings) / models };

    public static void Run(IReadOnlyList<TrainJob> jobs, string jobFolder, TextWriter log)
    {
        var children = jobs.Select(job => Start(job, jobFolder, log)).ToList();
        using var forward = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            foreach (var (_, process, _) in children)
                if (!process.HasExited) Kill(process.Id, SigTerm);
        });
        // Ctrl-C reaches the children through the terminal: this process only waits for them to save.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        foreach (var (_, process, _) in children) process.WaitForExit();
        var codes = children.Select(c => (c.Job, Code: c.Process.ExitCode)).ToList();
        foreach (var (_, process, _) in children) process.Dispose();
        if (codes.FirstOrDefault(c => c.Code is 130 or 143) is { Job: not null } stopped)
            throw new TrainingStopped($"stopped by {(stopped.Code == 143 ? "SIGTERM" : "SIGINT")}: each model's checkpoint.last holds its last update; " +
                                      "rerun the same command to continue", stopped.Code);
        if (codes.FirstOrDefault(c => c.Code != 0) is { Job: not null } failed)
            throw new InputError($"training {failed.Job.Name} failed (exit code {failed.Code}): see its lines above");
        foreach (var (_, _, file) in children) File.Delete(file);
    }

    static (TrainJob Job, Process Process, string File) Start(TrainJob job, string jobFolder, TextWriter log)
    {
        var file = Path.Combine(jobFolder, $"{Path.GetFileName(job.OutDir)}.train-job.json");
        Json.WriteFile(file, job);
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(SideBySideTraining).Assembly.Location, "train-job", file }) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the training of {job.Name}");
        var prefix = $"[{job.Name}] ";
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(prefix + line.Data); };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (log) log.WriteLine(prefix + line.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (job, process, file);
    }

    /// <summary>The dotnet host this process runs on (the same runtime), else the one on PATH.</summary>
    static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
