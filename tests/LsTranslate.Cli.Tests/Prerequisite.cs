namespace LsTranslate.Cli.Tests;

/// <summary>
/// What a test needs from the machine beyond .NET (a program, a tmpfs mount). In CI (LSTRANSLATE_CI=1, set by .ci/run,
/// which installs those programs and runs as root) a missing one fails the test; elsewhere the test is reported as
/// skipped, with why (xunit's dynamic skip: such tests are [SkippableFact] or [SkippableTheory]), never as passed.
/// </summary>
static class Prerequisite
{
    public static bool InCi => Environment.GetEnvironmentVariable("LSTRANSLATE_CI") == "1";

    /// <summary><paramref name="found"/> when it is there; else fails in CI, or skips the test saying why.</summary>
    public static T Require<T>(T? found, string why) where T : class
    {
        if (found is not null) return found;
        Assert.False(InCi, $"CI must run this test, but {why}");
        throw new SkipException(why);
    }
}
