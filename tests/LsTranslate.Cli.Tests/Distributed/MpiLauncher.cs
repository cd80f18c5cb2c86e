using LsTranslate.Cli.Tests.Faults;
using Xunit.Abstractions;

namespace LsTranslate.Cli.Tests.Distributed;

/// <summary>
/// MPICH's launcher, for tests that start `lstranslate` as several ranks. Where it is missing the test says it was
/// skipped, except in CI (LSTRANSLATE_CI=1, set by .ci/run, which installs mpich): there it fails.
/// </summary>
static class MpiLauncher
{
    static readonly string[] Names = ["/usr/bin/mpiexec.mpich", "/usr/bin/mpiexec.hydra"];

    public static string? Find(ITestOutputHelper output)
    {
        var found = Names.FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("LSTRANSLATE_CI") == "1", "CI has no MPICH launcher (.ci/run installs mpich)");
            output.WriteLine("skipped: no MPICH launcher (apt-get install mpich)");
        }
        return found;
    }

    /// <summary>`mpiexec -np N dotnet lstranslate.dll ARGS`, the built CLI beside the tests.</summary>
    public static CliProcess Start(string launcher, int ranks, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        CliProcess.StartProgram(launcher, ["-np", $"{ranks}", "dotnet", Path.Combine(AppContext.BaseDirectory, "lstranslate.dll"), .. args], environment);
}
