using System.CommandLine;

namespace LsTranslate.Cli.Commands;

/// <summary>Options that several vision commands share, built fresh per command.</summary>
static class VisionOptions
{
    public static Option<string> Device() => new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };

    public static Option<string> Precision() => OptionParsers.Precision(
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
}
