using System.Diagnostics;
using System.Text.Json;
using LsTranslate.Metrics;

namespace LsTranslate.Cli.Tests.Scoring;

/// <summary>
/// Every invocation in expected-cli.json: what sacreBLEU 2.6.0 printed (stdout, exit code) when run in the folder of
/// its reference files. `lstranslate sacrebleu` must print the same bytes, but for its own version in the signatures.
/// </summary>
public class SacrebleuCommandTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "SacreBleuReference");
    static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected-cli.json"))).RootElement.GetProperty("cases");

    public static TheoryData<int> All()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Fact]
    public void ThereAreSeventyTwoInvocations() => Assert.Equal(72, All().Count);

    [Theory]
    [MemberData(nameof(All))]
    public void PrintsWhatSacreBleuPrints(int index)
    {
        var c = Cases[index];
        var args = c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray();
        string expected = c.GetProperty("stdout").GetString()!.Replace("version:2.6.0", $"version:{MetricSignature.Version}")
            .Replace("\"version\": \"2.6.0\"", $"\"version\": \"{MetricSignature.Version}\"");
        var (code, stdout) = c.TryGetProperty("stdin", out var stdin) ? WithStdin(args, stdin.GetString()!) : InProcess(args);
        Assert.Equal(c.GetProperty("exit_code").GetInt32(), code);
        Assert.Equal(expected, stdout);
    }

    [Fact]
    public void APairedTestsSeedMustBeANumberOrNone()
    {
        string hyp = Path.Combine(Folder, "hyp.txt"), reference = Path.Combine(Folder, "ref.txt");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "lstranslate.dll"), "sacrebleu", reference, "-i", hyp, reference, "--paired-bs", "--paired-bs-n", "10" })
            info.ArgumentList.Add(arg);
        info.Environment["SACREBLEU_SEED"] = "seven";
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("SACREBLEU_SEED must be None or an integer", stderr);
    }

    static readonly string SystemsFolder = Path.Combine(Folder, "several-systems");
    static readonly JsonElement SystemsCases = JsonDocument.Parse(File.ReadAllText(Path.Combine(SystemsFolder, "expected-several-systems.json"))).RootElement.GetProperty("cases");

    public static TheoryData<string> AllSeveralSystems()
    {
        var data = new TheoryData<string>();
        foreach (var c in SystemsCases.EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    /// <summary>
    /// sacreBLEU 2.6.0's output for several -i systems (Reference/several-systems, with its commands): --paired-bs,
    /// --paired-ar and no test, JSON and the text table, 2, 3 or 5 systems, 1 or 2 references, -w, --paired-bs-n,
    /// --paired-ar-n, SACREBLEU_SEED 7, metrics out of name order, a paired test of one system. Run as sacreBLEU was, in a
    /// folder holding the files, so that the system names print as they did.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllSeveralSystems))]
    public async Task PrintsWhatSacreBleuPrintsForSeveralSystems(string name)
    {
        var c = SystemsCases.EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        string work = Directory.CreateTempSubdirectory("lst-paired-").FullName;
        try
        {
            foreach (var file in new[] { "hyp.txt", "ref.txt", "ref2.txt" }) File.Copy(Path.Combine(Folder, file), Path.Combine(work, file));
            foreach (var file in Directory.GetFiles(SystemsFolder, "sys*.txt")) File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lstranslate.dll"));
            info.ArgumentList.Add("sacrebleu");
            foreach (var arg in c.GetProperty("args").EnumerateArray()) info.ArgumentList.Add(arg.GetString()!);
            foreach (var env in c.GetProperty("env").EnumerateObject()) info.Environment[env.Name] = env.Value.GetString();
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(c.GetProperty("exit_code").GetInt32() == process.ExitCode, await stderr);
            Assert.Equal(c.GetProperty("stdout").GetString()!.Replace("version:2.6.0", $"version:{MetricSignature.Version}"), stdout);
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>File names in the arguments point into the reference folder (the test cannot change the process's folder).</summary>
    static string[] Located(string[] args) =>
        ["sacrebleu", .. args.Select(a => File.Exists(Path.Combine(Folder, a)) ? Path.Combine(Folder, a) : a)];

    static (int, string) InProcess(string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(Located(args), stdout, stderr);
        return (code, stdout.ToString());
    }

    /// <summary>The hypotheses on standard input, which only a process of its own can be given.</summary>
    static (int, string) WithStdin(string[] args, string stdinFile)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lstranslate.dll"));
        foreach (var arg in Located(args)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using (var input = File.OpenRead(Path.Combine(Folder, stdinFile))) input.CopyTo(process.StandardInput.BaseStream);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result);
    }
}
