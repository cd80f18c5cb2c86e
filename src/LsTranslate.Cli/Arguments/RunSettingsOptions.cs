using System.CommandLine;
using LsTranslate.Model.Runs;

namespace LsTranslate.Cli.Arguments;

/// <summary>`--device`, `--threads`, `--precision` and `--libtorch`: the run settings of every command that trains or runs a network, defaults from <see cref="RunSettings"/>.</summary>
sealed class RunSettingsOptions
{
    static readonly RunSettings Defaults = new();

    /// <param name="precisionSets">what --precision sets and what stays fp32.</param>
    /// <param name="defaultPrecision">where a command measures in fp32 unless told otherwise; else RunSettings' default.</param>
    public RunSettingsOptions(string precisionSets, string? defaultPrecision = null)
    {
        Precision = OptionParsers.Precision(precisionSets, defaultPrecision ?? Defaults.Precision);
    }

    public Option<string> Device { get; } = DeviceOption();
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads (0: all cores)", DefaultValueFactory = _ => Defaults.Threads };
    public Option<string> Precision { get; }
    public Option<string?> Libtorch { get; } = LibtorchOption.Create();

    /// <summary>--device alone, for a command whose work has no precision or thread setting of its own.</summary>
    public static Option<string> DeviceOption() => new("--device") { Description = "Where to run: cpu, cuda or cuda:N", DefaultValueFactory = _ => Defaults.Device };

    public IEnumerable<Option> All => [Device, Threads, Precision, Libtorch];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The settings given, with the thread count already applied to this process.</summary>
    public RunSettings Read(ParseResult parsed)
    {
        var settings = new RunSettings(parsed.GetValue(Device)!, parsed.GetValue(Threads), parsed.GetValue(Precision)!);
        settings.ApplyToProcess();
        return settings;
    }
}
