using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LsTranslate.Cli.Tests.Faults;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests.Packaging;

/// <summary>
/// scripts/bundle.sh's archive as a GPU host without .NET gets it: unpacked in a clean folder and run, with this
/// machine's .NET hidden where a mount namespace allows, on a copy of the restored libtorch package standing in for a
/// PyTorch install's torch/lib. /proc/PID/maps says which files the process really mapped.
/// </summary>
public class BundleTests(BundleTests.Bundle bundle) : IClassFixture<BundleTests.Bundle>
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Built, unpacked and given a libtorch copy once for the class.</summary>
    public sealed class Bundle : IDisposable
    {
        public string Work { get; } = Directory.CreateTempSubdirectory("lst-bundle-").FullName;
        public string Archive => Path.Combine(Work, "lstranslate.tar.gz");
        public string Unpacked => Path.Combine(Work, "unpacked", "lstranslate");
        public string Launcher => Path.Combine(Unpacked, "lstranslate");
        public JsonElement Summary { get; }
        /// <summary>The copied package folder (what --libtorch is given) and the libraries inside it.</summary>
        public string LibtorchPackage => Path.Combine(Work, "libtorch-cpu");
        public string LibtorchLibraries => Path.Combine(LibtorchPackage, "runtimes", "linux-x64", "native");
        public string Train => Path.Combine(Work, "train.tsv");

        public Bundle()
        {
            Summary = JsonDocument.Parse(ExternalProgram.Run("bash", null, Path.Combine(RepositoryFiles.Root, "scripts", "bundle.sh"), Archive)).RootElement.Clone();
            Directory.CreateDirectory(Path.Combine(Work, "unpacked"));
            ExternalProgram.Run("tar", null, "xzf", Archive, "-C", Path.Combine(Work, "unpacked"));
            var restored = Directory.GetDirectories(Path.Combine(NugetCache, "libtorch-cpu-linux-x64")).Single();
            ExternalProgram.Run("cp", null, "-r", restored, LibtorchPackage);
            foreach (var nupkg in Directory.GetFiles(LibtorchPackage, "*.nupkg")) File.Delete(nupkg);
            File.WriteAllLines(Train, Enumerable.Range(0, 60).Select(i => $"file {i} is open\tDatei {i} ist offen"));
        }

        public static string NugetCache =>
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        public void Dispose() => Directory.Delete(Work, recursive: true);
    }

    /// <summary>The bundle's launcher, run to its end with stdin closed.</summary>
    (int Code, string Stdout, string Stderr) Launch(IEnumerable<string> args, string? libtorch = null)
    {
        var environment = new Dictionary<string, string> { ["LSTRANSLATE_LIBTORCH"] = libtorch ?? "" };
        using var process = CliProcess.StartProgram(bundle.Launcher, args, environment);
        process.CloseInput();
        int code = process.Wait(Patience);
        return (code, process.Stdout, process.Stderr.Trim());
    }

    string TrainTiny(string name, int steps = 4)
    {
        string output = Path.Combine(bundle.Work, name);
        var (code, _, stderr) = Launch(["train", "--train", bundle.Train, "--dev", bundle.Train, "--out", output, "--preset", "tiny",
            "--vocab-size", "300", "--max-steps", $"{steps}", "--validate-every", $"{steps}", "--threads", "1"], bundle.LibtorchPackage);
        Assert.True(code == 0, stderr);
        return output;
    }

    [Fact]
    public void TheArchiveFitsItsLimitAndCarriesNoLibtorch()
    {
        Assert.True(new FileInfo(bundle.Archive).Length <= 55L * 1024 * 1024, $"{new FileInfo(bundle.Archive).Length} bytes");
        Assert.True(bundle.Summary.GetProperty("mib").GetDouble() <= 55);
        Assert.Empty(Directory.GetFiles(bundle.Unpacked, "libtorch*.so*", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(bundle.Unpacked, "libLibTorchSharp.so", SearchOption.AllDirectories));
        foreach (var framework in new[] { "Microsoft.NETCore.App", "Microsoft.AspNetCore.App" })
            Assert.Single(Directory.GetDirectories(Path.Combine(bundle.Unpacked, "dotnet", "shared", framework)));
    }

    [Fact]
    public void TrainsAFewStepsWhereNoDotnetIsInstalled()
    {
        string output = Path.Combine(bundle.Work, "trained-without-dotnet");
        string[] train = ["train", "--train", bundle.Train, "--dev", bundle.Train, "--out", output, "--preset", "tiny", "--vocab-size", "300",
            "--max-steps", "6", "--validate-every", "3", "--threads", "1"];
        // This machine's .NET, hidden behind an empty tmpfs in a mount namespace of the run's own, where root may make one.
        string dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        bool canHide = ExternalProgram.ExitCode("unshare", "-m", "true") == 0;
        var (program, args) = canHide
            ? ("unshare", (string[])["-m", "sh", "-c", "mount -t tmpfs none \"$0\" && ! dotnet --info >/dev/null 2>&1 && exec \"$@\"", dotnetRoot, bundle.Launcher, .. train])
            : (bundle.Launcher, train);
        using var process = CliProcess.StartProgram(program, args, new Dictionary<string, string> { ["LSTRANSLATE_LIBTORCH"] = bundle.LibtorchPackage });
        process.CloseInput();
        Assert.True(process.Wait(Patience) == 0, process.Stderr);
        Assert.StartsWith($"lstranslate: libtorch 2.10.0 from {bundle.LibtorchLibraries}; device cpu", process.Stderr.Trim());
        var validations = File.ReadLines(Path.Combine(output, "train-log.jsonl")).Where(line => line.Contains("\"dev_nll\"")).ToList();
        Assert.Equal(2, validations.Count);
        Assert.True(File.Exists(Path.Combine(output, "checkpoint.last")));
    }

    [Fact]
    public void EveryLibraryIsMappedFromTheFolderGivenAndTheBundle()
    {
        string model = TrainTiny("mapped");
        // Named through a symbolic link, as a virtual environment's folders often are: the maps name the real files.
        string link = Path.Combine(bundle.Work, "torch-through-a-link");
        Directory.CreateSymbolicLink(link, bundle.LibtorchPackage);
        using var decode = CliProcess.StartProgram(bundle.Launcher, ["decode", "--model", model, "--libtorch", link, "--max-len-b", "3"]);
        Assert.True(decode.WaitFor($"lstranslate: libtorch 2.10.0 from {bundle.LibtorchLibraries}; device cpu", Patience), decode.Stderr);
        // decode is waiting on stdin: everything it runs on is mapped by now.
        var mapped = File.ReadLines($"/proc/{decode.Id}/maps").Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..] : null)
            .OfType<string>().Distinct().ToList();
        string MappedFrom(string fileName) => Path.GetDirectoryName(Assert.Single(mapped, path => Path.GetFileName(path) == fileName))!;
        foreach (var library in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            Assert.Equal(bundle.LibtorchLibraries, MappedFrom(library));
        Assert.StartsWith(bundle.Unpacked + "/app", MappedFrom("libLibTorchSharp.so"));
        Assert.StartsWith(bundle.Unpacked + "/dotnet", MappedFrom("libcoreclr.so"));
        Assert.DoesNotContain(mapped, path => path.StartsWith(Bundle.NugetCache));

        decode.WriteInput("file 1 is open\n");
        decode.CloseInput();
        Assert.True(decode.Wait(Patience) == 0, decode.Stderr);
        Assert.Single(decode.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ServesItsPageOnTheBundledAspNetCore()
    {
        string model = TrainTiny("served");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var serve = CliProcess.StartProgram(bundle.Launcher, ["serve", "--model", model, "--port", $"{port}", "--libtorch", bundle.LibtorchPackage]);
        Assert.True(serve.WaitFor("serving served on", Patience), serve.Stderr);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string? health = null;
        for (int attempt = 0; attempt < 100 && health == null; attempt++)
        {
            try { health = await http.GetStringAsync("/health"); }
            catch (HttpRequestException) { await Task.Delay(100); }
        }
        Assert.Contains("\"ok\"", health);
        Assert.Contains("<html", await http.GetStringAsync("/"));
    }

    [Fact]
    public void AFolderWithoutLibtorchIsOneErrorLine()
    {
        var (code, _, stderr) = Launch(["decode", "--model", bundle.Work], libtorch: bundle.Work);
        Assert.Equal(2, code);
        Assert.Equal($"lstranslate: error: LSTRANSLATE_LIBTORCH={bundle.Work}: no libtorch here (no libtorch_cpu.so in it, in lib/ or in runtimes/linux-x64/native/); give a PyTorch install's torch/lib", stderr);
    }

    [Fact]
    public void ALibtorchTorchSharpCannotBindToIsOneErrorLine()
    {
        // Libraries with the right names whose libtorch_cpu.so defines none of the functions TorchSharp calls: a small
        // library of the same package (no symbols of libtorch's) under libtorch_cpu.so's file name and soname.
        string fake = Path.Combine(bundle.Work, "unbindable");
        Directory.CreateDirectory(fake);
        foreach (var name in new[] { "libc10.so", "libtorch.so", "libgomp-98b21ff3.so.1" })
            File.Copy(Path.Combine(bundle.LibtorchLibraries, name), Path.Combine(fake, name));
        var stub = File.ReadAllBytes(Path.Combine(bundle.LibtorchLibraries, "libtorch_global_deps.so"));
        File.WriteAllBytes(Path.Combine(fake, "libtorch_cpu.so"), Resoname(stub, "libtorch_global_deps.so", "libtorch_cpu.so"));

        var (code, _, stderr) = Launch(["decode", "--model", bundle.Work, "--libtorch", fake]);
        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n'));
        Assert.StartsWith($"lstranslate: error: --libtorch {fake}: TorchSharp 0.107.0 (built against libtorch 2.10.0) cannot bind to libtorch (version not recorded): ", stderr);
        Assert.Contains("undefined symbol", stderr);
    }

    /// <summary>The library's soname string rewritten in place (a shorter name, padded with NULs): the loader then takes it for that library.</summary>
    static byte[] Resoname(byte[] library, string from, string to)
    {
        var needle = Encoding.ASCII.GetBytes(from + "\0");
        int at = library.AsSpan().IndexOf(needle);
        Assert.True(at >= 0 && to.Length <= from.Length);
        var copy = (byte[])library.Clone();
        needle.AsSpan().Clear();
        Encoding.ASCII.GetBytes(to).CopyTo(needle, 0);
        needle.CopyTo(copy, at);
        return copy;
    }

    [Fact]
    public void WithoutAnyLibtorchTorchCommandsSaySoAndScoringStillRuns()
    {
        var (code, stdout, stderr) = Launch(["decode", "--model", bundle.Work]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("lstranslate: error: this build carries no libtorch: give --libtorch DIR or set LSTRANSLATE_LIBTORCH", stderr);
        Assert.Single(stderr.Split('\n'));

        string text = Path.Combine(bundle.Work, "text.txt");
        File.WriteAllText(text, "the file is open\n");
        (code, stdout, stderr) = Launch(["score", "--hyp", text, "--ref", text, "--metrics", "bleu"]);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("BLEU", stdout.Trim());
    }

    [Fact]
    public void TheDefaultBuildRefusesAnOutsideLibtorchItWouldLoadBesideItsOwn()
    {
        var stderr = new StringWriter();
        string restored = Directory.GetDirectories(Path.Combine(Bundle.NugetCache, "libtorch-cpu-linux-x64")).Single();
        int code = Cli.Run(["export", "--model", bundle.Work, "--list", "--libtorch", restored], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.StartsWith($"lstranslate: error: --libtorch {restored}: this build carries its own libtorch (", stderr.ToString());
    }
}
