using System.CommandLine;
using LsTranslate.Model.Native;

namespace LsTranslate.Cli.Arguments;

/// <summary>`--libtorch DIR` on every command that runs libtorch; LSTRANSLATE_LIBTORCH is its default.</summary>
static class LibtorchOption
{
    const string Name = "--libtorch";

    public static Option<string?> Create() => new(Name)
    {
        Description = $"libtorch to run on: a PyTorch install's torch/lib (default ${Libtorch.EnvironmentVariable}; else the one this build carries)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Libtorch.EnvironmentVariable) is { Length: > 0 } folder ? folder : null,
    };

    /// <summary>Loads the folder the parsed command names, if any, before anything touches TorchSharp, and says on stderr which libtorch and device are in use.</summary>
    public static void Apply(ParseResult parsed, TextWriter stderr)
    {
        var options = parsed.CommandResult.Command.Options;
        if (options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == Name) is not { } option) return;
        if (parsed.GetValue(option) is not { } folder)
        {
            Libtorch.EnsureAvailable();
            return;
        }
        var used = Libtorch.Use(folder, parsed.GetResult(option) is { Implicit: false } ? $"{Name} {folder}" : $"{Libtorch.EnvironmentVariable}={folder}");
        var device = options.OfType<Option<string>>().FirstOrDefault(o => o.Name == "--device") is { } deviceOption ? parsed.GetValue(deviceOption) : "cpu";
        stderr.WriteLine($"lstranslate: libtorch {used.VersionText}{(used.HasCuda ? " (with CUDA)" : "")} from {used.Path}; device {device}");
    }
}
