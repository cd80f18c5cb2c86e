using System.CommandLine;
using LsTranslate.Model;

namespace LsTranslate.Cli.Arguments;

/// <summary>Options that several vision commands share, built fresh per command.</summary>
static class VisionOptions
{
    public static RunSettingsOptions Settings() => new(
        "Training's convolutions and linear layers in fp32 or bf16 (weights, batch-norm statistics, loss and all measurements stay fp32)");

    public static Option<bool> Overwrite() => new("--overwrite") { Description = "Start the model in --out over instead of continuing or reusing it" };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "directory with the IDX files (train-images-idx3-ubyte[.gz] …); default: /usr/share/datasets/fashion-mnist",
    };

    public static Option<string> Classes() => new("--classes")
    {
        Description = "three class ids whose templates span the projection plane", DefaultValueFactory = _ => "0,2,4",
    };

    /// <summary>Parses --classes ("0,2,4") into class ids.</summary>
    public static IReadOnlyList<int> ParseClasses(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new List<int>();
        foreach (var part in parts)
            ids.Add(int.TryParse(part, out var id) ? id : throw new InputError($"--classes: '{part}' is not a class id"));
        return ids;
    }

}
