using LsTranslate.Cli.Tests.Faults;

namespace LsTranslate.Cli.Tests.Distributed;

/// <summary>
/// MPICH's launcher, for tests that start `lstranslate` as several ranks. Where it is missing the test is skipped,
/// except in CI, which installs mpich: there it fails (<see cref="Prerequisite"/>).
/// </summary>
static class MpiLauncher
{
    static readonly string[] Names = ["/usr/bin/mpiexec.mpich", "/usr/bin/mpiexec.hydra"];

    public static string Require() =>
        Prerequisite.Require(Names.FirstOrDefault(File.Exists), $"no MPICH launcher ({string.Join(", ", Names)}; apt-get install mpich)");

    /// <summary>`mpiexec -np N dotnet lstranslate.dll ARGS`, the built CLI beside the tests.</summary>
    public static CliProcess Start(string launcher, int ranks, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        CliProcess.StartProgram(launcher, ["-np", $"{ranks}", "dotnet", Path.Combine(AppContext.BaseDirectory, "lstranslate.dll"), .. args], environment);
}
