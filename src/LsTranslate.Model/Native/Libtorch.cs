using System.Reflection;

namespace LsTranslate.Model.Native;

/// <summary>
/// Which libtorch TorchSharp runs on: the one this build carries (the NuGet package beside the program), or one from
/// outside (--libtorch, LSTRANSLATE_LIBTORCH), such as a PyTorch install's torch/lib on a GPU machine. TorchSharp asks
/// the loader for libtorch by name, and the loader answers a name with the library of that name already loaded, so
/// loading the outside folder first is all it takes; a build that carries its own libtorch would load that one too.
/// </summary>
public static class Libtorch
{
    public const string EnvironmentVariable = "LSTRANSLATE_LIBTORCH";

    /// <summary>The outside folder in use, or null where TorchSharp runs on the libtorch this build carries.</summary>
    public static LibtorchFolder? External { get; private set; }

    /// <summary>Loads libtorch from <paramref name="folder"/> before TorchSharp first loads; every failure is one InputError line.</summary>
    /// <param name="named">how the user named the folder, for the error lines: `--libtorch DIR` or `LSTRANSLATE_LIBTORCH=DIR`.</param>
    public static LibtorchFolder Use(string folder, string? named = null)
    {
        named ??= $"--libtorch {folder}";
        var found = LibtorchFolder.Find(folder, named);
        if (External != null)
            return External.Path == found.Path ? External : throw new InputError($"{named}: libtorch from {External.Path} is already loaded in this process");
        if (Carried("libtorch_cpu.so") is { } carried)
            throw new InputError($"{named}: this build carries its own libtorch ({carried}), which TorchSharp would load beside it; "
                + "a PyTorch install's libtorch needs a build without one: the bundle (scripts/bundle.sh) or -p:TorchBackend=external");
        if (DynamicLoader.MappedPath("libLibTorchSharp.so") != null)
            throw new InvalidOperationException("TorchSharp is already loaded: an outside libtorch must be chosen before its first use");

        // PyTorch's own order: its global deps first, where there are any (the CUDA runtime libraries, made visible to
        // everything loaded after), then libtorch. Their failing is not final: libtorch_cuda.so finds its CUDA libraries
        // through its own run path, and its own error below names the one it cannot find.
        if (File.Exists(Path.Combine(found.Path, "libtorch_global_deps.so")))
            DynamicLoader.Open(Path.Combine(found.Path, "libtorch_global_deps.so"), global: true);
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so" }.Concat(found.HasCuda ? ["libtorch_cuda.so"] : []).Append("libtorch.so"))
            if (DynamicLoader.Open(Path.Combine(found.Path, name)) is { } reason)
                throw new InputError($"{named}: {name} does not load: {reason}");

        var bridge = Carried("libLibTorchSharp.so") ?? throw new InputError("this build has no libLibTorchSharp.so (TorchSharp's native library)");
        if (DynamicLoader.Open(bridge) is { } unbound)
            throw new InputError($"{named}: TorchSharp {TorchSharpVersion} (built against libtorch {BuiltAgainst}) cannot bind to libtorch {found.VersionText}: {unbound}{NamingHint(found)}");
        var mapped = DynamicLoader.MappedPath("libtorch_cpu.so");
        if (mapped == null || Path.GetDirectoryName(mapped) != found.Path)
            throw new InputError($"{named}: libtorch_cpu.so came from {mapped ?? "nowhere"}, not from {found.Path}");
        External = found;
        return found;
    }

    /// <summary>Which libtorch this process runs on, for reports: the outside folder's, or this build's own.</summary>
    public static string InUse => External is { } outside
        ? $"libtorch {outside.VersionText}{(outside.HasCuda ? " (with CUDA)" : "")} from {outside.Path}"
        : $"libtorch {BuiltAgainst} (this build's own{(CarriesCuda ? ", with CUDA" : "")})";

    /// <summary>Refuses to go on where there is no libtorch at all (a build without one, no outside folder given), before TorchSharp would print its own page-long message.</summary>
    public static void EnsureAvailable()
    {
        if (External == null && Carried("libtorch_cpu.so") == null)
            throw new InputError($"this build carries no libtorch: give --libtorch DIR or set {EnvironmentVariable} to a PyTorch install's torch/lib "
                + "(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + \"/lib\")')");
    }

    /// <summary>Whether this build carries a CUDA libtorch (the -p:TorchBackend=cuda build).</summary>
    public static bool CarriesCuda => Carried("libtorch_cuda.so") != null;

    /// <summary>A native library of that name among the folders the runtime searches for this program's own native files.</summary>
    static string? Carried(string fileName) =>
        ((AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(AppContext.BaseDirectory)
            .Select(dir => Path.Combine(dir, fileName))
            .FirstOrDefault(File.Exists);

    /// <summary>A distribution's libtorch names its libraries by version (libtorch.so.1.13), which TorchSharp's by-name requests never match.</summary>
    static string NamingHint(LibtorchFolder found) =>
        File.ResolveLinkTarget(Path.Combine(found.Path, "libtorch.so"), returnFinalTarget: true)?.Name is { } target && target != "libtorch.so"
            ? $" ({found.Path}/libtorch.so is {target}: a distribution's build, whose libraries are named by version)"
            : "";

    static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";

    // A constant read without running TorchSharp's static constructor, which would load libtorch itself.
    static string BuiltAgainst =>
        typeof(TorchSharp.torch).GetField("libtorchPackageVersion", BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue() is string v ? string.Join('.', v.Split('.').Take(3)) : "?";
}
