using System.Diagnostics.CodeAnalysis;
using Xunit.Abstractions;

namespace LsTranslate.Cli.Tests;

/// <summary>
/// What a test needs from the machine beyond .NET (a program, a tmpfs mount). In CI (LSTRANSLATE_CI=1, set by .ci/run,
/// which installs those programs and runs as root) a missing one fails the test; elsewhere the test writes
/// "skipped: WHY" to its output and returns, so a green run outside CI may hide a skip, never one in CI.
/// </summary>
static class Prerequisite
{
    public static bool InCi => Environment.GetEnvironmentVariable("LSTRANSLATE_CI") == "1";

    /// <summary>True when <paramref name="found"/> is there; else fails in CI, or says it is skipped and why and returns false.</summary>
    public static bool Met<T>([NotNullWhen(true)] T? found, string why, ITestOutputHelper output) where T : class
    {
        if (found is not null) return true;
        Assert.False(InCi, $"CI must run this test, but {why}");
        output.WriteLine($"skipped: {why}");
        return false;
    }
}
