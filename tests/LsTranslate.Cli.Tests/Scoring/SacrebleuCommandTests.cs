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
    public void PairedBootstrapComparesEverySystemWithTheFirst()
    {
        string hyp = Path.Combine(Folder, "hyp.txt"), reference = Path.Combine(Folder, "ref.txt");
        string worse = Path.Combine(Path.GetTempPath(), $"lst-sysb-{Environment.ProcessId}.txt");
        File.WriteAllLines(worse, File.ReadAllLines(hyp).Select(l => string.Join(' ', l.Split(' ').Where((_, i) => i % 5 != 1))));
        try
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.Equal(0, Cli.Run(["sacrebleu", reference, "-i", hyp, worse, "--paired-bs", "-m", "bleu", "chrf", "--paired-bs-n", "200"], stdout, stderr));
            var systems = JsonDocument.Parse(stdout.ToString()).RootElement.EnumerateArray().ToList();
            Assert.Equal(2, systems.Count);
            Assert.True(systems[0].GetProperty("baseline").GetBoolean());
            Assert.False(systems[0].GetProperty("BLEU").TryGetProperty("p_value", out _));
            Assert.Equal(53.7, systems[0].GetProperty("BLEU").GetProperty("score").GetDouble());
            Assert.InRange(systems[1].GetProperty("chrF2").GetProperty("p_value").GetDouble(), 0, 0.05); // a fifth of the words gone
            Assert.Equal(1, Cli.Run(["sacrebleu", reference, "-i", hyp, worse], new StringWriter(), new StringWriter())); // several systems need the test
        }
        finally { File.Delete(worse); }
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
