using System.Text.RegularExpressions;

namespace LsTranslate.Model.Native;

/// <summary>A folder of libtorch libraries: a PyTorch install's torch/lib, a libtorch zip's lib, or the libtorch NuGet package.</summary>
/// <param name="Path">the folder holding libtorch_cpu.so, symbolic links resolved.</param>
/// <param name="Version">as the install records it, or null where it records none.</param>
/// <param name="HasCuda">whether it holds libtorch_cuda.so.</param>
public sealed record LibtorchFolder(string Path, string? Version, bool HasCuda)
{
    public static readonly string[] Required = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>The libraries under <paramref name="given"/>: in it, in its lib/ (a torch package or libtorch zip), or in runtimes/linux-x64/native/ (a NuGet package).</summary>
    /// <param name="named">how the user named it, for the error lines.</param>
    public static LibtorchFolder Find(string given, string named)
    {
        var full = System.IO.Path.GetFullPath(given);
        if (!Directory.Exists(full)) throw new InputError($"{named}: no such folder");
        var libraries = new[] { full, System.IO.Path.Combine(full, "lib"), System.IO.Path.Combine(full, "runtimes", "linux-x64", "native") }
            .FirstOrDefault(dir => File.Exists(System.IO.Path.Combine(dir, "libtorch_cpu.so")))
            ?? throw new InputError($"{named}: no libtorch here (no libtorch_cpu.so in it, in lib/ or in runtimes/linux-x64/native/); give a PyTorch install's torch/lib");
        var missing = Required.Where(name => !File.Exists(System.IO.Path.Combine(libraries, name))).ToList();
        if (missing.Count > 0) throw new InputError($"{named}: {libraries} has libtorch_cpu.so but no {string.Join(", ", missing)}");
        libraries = DynamicLoader.Canonical(libraries);
        return new(libraries, RecordedVersion(libraries), File.Exists(System.IO.Path.Combine(libraries, "libtorch_cuda.so")));
    }

    public string VersionText => Version ?? "(version not recorded)";

    /// <summary>Where each kind of install writes its version: a pip wheel's torch/version.py, a libtorch zip's build-version, a NuGet package's nuspec, a distribution's versioned file names.</summary>
    static string? RecordedVersion(string libraries)
    {
        var parent = Directory.GetParent(libraries)?.FullName;
        if (parent != null && ReadMatch(System.IO.Path.Combine(parent, "version.py"), @"^__version__\s*=\s*['""]([^'""]+)['""]") is { } wheel) return wheel;
        if (parent != null && ReadMatch(System.IO.Path.Combine(parent, "build-version"), @"^\s*(\S+)") is { } zip) return zip;
        var package = Directory.GetParent(libraries)?.Parent?.Parent?.FullName;
        if (package != null && Directory.GetFiles(package, "*.nuspec").FirstOrDefault() is { } nuspec && ReadMatch(nuspec, @"<version>([^<]+)</version>") is { } nuget) return nuget;
        var target = File.ResolveLinkTarget(System.IO.Path.Combine(libraries, "libtorch_cpu.so"), returnFinalTarget: true)?.Name;
        return target != null && Regex.Match(target, @"^libtorch_cpu\.so\.(.+)$") is { Success: true } versioned ? versioned.Groups[1].Value : null;
    }

    static string? ReadMatch(string file, string pattern) =>
        File.Exists(file) && Regex.Match(File.ReadAllText(file), pattern, RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;
}
