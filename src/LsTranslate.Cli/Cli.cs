using System.CommandLine;
using LsTranslate.Cli.Commands;
using LsTranslate.Model;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.Runs;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli;

/// <summary>The `lstranslate` command tree and its one error policy.</summary>
public static class Cli
{
    /// <param name="firstArgument">where it names a command, only that one is built (see <see cref="CommandCatalog.For"/>).</param>
    public static RootCommand BuildRoot(string? firstArgument = null)
    {
        var root = new RootCommand("LsTranslate: neural machine translation with label smoothing (TorchSharp).");
        foreach (var command in CommandCatalog.For(firstArgument)) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs; user errors become one line on stderr and exit code 2.</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        var parsed = BuildRoot(args.FirstOrDefault()).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"lstranslate: error: {error.Message}");
            return 2;
        }
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (stdout != null) config.Output = stdout;
        config.Error = stderr;
        try
        {
            LibtorchOption.Apply(parsed, stderr);
            return parsed.Invoke(config);
        }
        catch (TrainingStopped stopped)
        {
            // Every rank stops at the same update, so they end together.
            if (!Communicator.IsMultiProcess || Communicator.World.IsRoot) stderr.WriteLine($"lstranslate: {stopped.Message}");
            return stopped.ExitCode;
        }
        catch (Exception e) when (UserFacing(e) is { } message)
        {
            stderr.WriteLine($"lstranslate{RankName()}: error: {message}");
            // The other ranks would wait for this one in their next collective: end them all now.
            if (Communicator.IsMultiProcess) Communicator.World.Abort(2);
            return 2;
        }
    }

    static string RankName() => Communicator.IsMultiProcess && !Communicator.World.IsRoot
        ? $" (rank {Communicator.World.Rank} of {Communicator.World.Size})"
        : "";

    static string? UserFacing(Exception e) => e switch
    {
        InvalidOption option => OptionNames.Render(option),
        InputError ie => ie.Message,
        AggregateException { InnerException: { } inner } => UserFacing(inner),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => UserFacing(inner),
        FileNotFoundException f => $"{f.FileName ?? "file"}: no such file",
        DirectoryNotFoundException d => d.Message,
        UnauthorizedAccessException u => u.Message,
        // Any other read or write the code above did not name: still one line, never a stack trace.
        IOException io => io.Message,
        _ => null,
    };
}
