using System.CommandLine;

namespace LsTranslate.Cli.Commands;

/// <summary>Options that several vision commands share, built fresh per command.</summary>
static class VisionOptions
{
    public static Option<string> Device() => new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "directory with the IDX files (train-images-idx3-ubyte[.gz] …); default: /usr/share/datasets/fashion-mnist",
    };

    public static Option<string> Classes() => new("--classes")
    {
        Description = "three class ids whose templates span the projection plane", DefaultValueFactory = _ => "0,2,4",
    };
}
