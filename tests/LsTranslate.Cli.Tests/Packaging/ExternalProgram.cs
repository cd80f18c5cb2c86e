using System.Diagnostics;

namespace LsTranslate.Cli.Tests.Packaging;

/// <summary>Another program run to its end (dotnet, tar, a script), for tests of what ships.</summary>
static class ExternalProgram
{
    /// <summary>Its stdout; a non-zero exit fails the test with both outputs.</summary>
    public static string Run(string program, string? folder, params string[] args)
    {
        using var process = Start(program, folder, args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    /// <summary>Its exit code, or null where the program does not exist.</summary>
    public static int? ExitCode(string program, params string[] args)
    {
        try
        {
            using var process = Start(program, null, args);
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    static Process Start(string program, string? folder, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (folder != null) info.WorkingDirectory = folder;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(info)!;
    }
}
