using System.Diagnostics;
using System.Text.Json;
using LsTranslate.Model.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using LsTranslate.Tests;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>
/// bench/export-check's script on the tiny model: PyTorch (Debian's python3-torch), with its own transformer written
/// from config.json, loads what `lstranslate export` wrote in both formats and must give our fp32 logits within 1e-5.
/// Without python3-torch the test is skipped, except in CI (LSTRANSLATE_CI=1, set by .ci/run, which installs it): there
/// it fails.
/// </summary>
public class ExportCheckTests(DecodeCommandTests.TinyModel tiny, ITestOutputHelper output) : TempFolderTest, IClassFixture<DecodeCommandTests.TinyModel>
{
    const string Python = "/usr/bin/python3";
    const double Tolerance = 1e-5; // check.py's own: float32_within_1e-5

    static (int Code, string Out, string Err) RunProgram(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{program} {string.Join(' ', args)}"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Debian's python3-torch, or the test is skipped (in CI: fails).</summary>
    static void RequirePyTorch() =>
        Prerequisite.Require(File.Exists(Python) && RunProgram(Python, "-c", "import torch").Code == 0 ? Python : null,
            "no PyTorch at /usr/bin/python3 (apt-get install python3-torch)");

    /// <summary>What bench/export-check/Program.cs writes: per pair the source ids, BOS + target ids and our fp32 logits [T][V].</summary>
    string OurLogits(IEnumerable<(string Source, string Target)> pairs)
    {
        using var loaded = new ModelDirectory(tiny.Dir).Load("last");
        var sentences = new List<object>();
        using (no_grad())
            foreach (var (sourceText, targetText) in pairs)
            {
                using var scope = NewDisposeScope();
                var source = loaded.Tokenizer.Encode(sourceText).Select(i => (long)i).ToArray();
                long[] targetIn = [SpecialTokens.Bos, .. loaded.Tokenizer.Encode(targetText).Select(i => (long)i)];
                var logits = loaded.Model.Forward(tensor(source).unsqueeze(0), tensor(targetIn).unsqueeze(0)).squeeze(0);
                var values = logits.data<float>().ToArray();
                int vocab = (int)logits.shape[1];
                sentences.Add(new { source, target_in = targetIn, logits = Enumerable.Range(0, targetIn.Length).Select(t => values.AsSpan(t * vocab, vocab).ToArray()) });
            }
        string path = Path.Combine(Root, "logits.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { checkpoint = "last", sentences }));
        return path;
    }

    JsonElement Check(string pytorch, string safetensors, string logits)
    {
        var (code, stdout, stderr) = RunProgram(Python, Path.Combine(RepositoryFiles.Root, "bench", "export-check", "check.py"),
            Path.Combine(tiny.Dir, "config.json"), pytorch, safetensors, logits);
        Assert.True(code == 0, $"check.py exited {code}: {stderr}");
        output.WriteLine(stdout.Trim());
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [SkippableFact]
    public void PyTorchReproducesOurLogitsFromTheExportedWeights()
    {
        RequirePyTorch();
        string pytorch = Path.Combine(Root, "model.pt"), safetensors = Path.Combine(Root, "model.safetensors");
        foreach (var (format, file) in new[] { ("pytorch", pytorch), ("safetensors", safetensors) })
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.True(Cli.Run(["export", "--model", tiny.Dir, "--checkpoint", "last", "--format", format, "--out", file], stdout, stderr) == 0, stderr.ToString());
        }
        var logits = OurLogits([("file 1 is open", "Datei 1 ist offen"), ("file 4 is open", "Datei 4 ist offen"), ("file 6", "Datei")]);

        var result = Check(pytorch, safetensors, logits);
        Assert.Equal(3, result.GetProperty("sentences").GetInt32());
        Assert.True(result.GetProperty("largest_abs_logit").GetDouble() > 0.1, "the logits are all near zero: nothing to compare");
        foreach (var format in new[] { "pytorch", "safetensors" })
        {
            double difference = result.GetProperty($"{format}_max_abs_diff").GetDouble();
            Assert.True(difference <= Tolerance, $"{format}: PyTorch's logits differ from ours by up to {difference} (tolerance {Tolerance})");
        }
        Assert.True(result.GetProperty("float32_within_1e-5").GetBoolean());

        // The check can fail: one of our logits moved by 1e-3 is caught, by about that much.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(logits))!;
        var moved = json["sentences"]![1]!["logits"]![2]![7]!;
        json["sentences"]![1]!["logits"]![2]![7] = moved.GetValue<float>() + 1e-3f;
        File.WriteAllText(logits, json.ToJsonString());
        var broken = Check(pytorch, safetensors, logits);
        Assert.InRange(broken.GetProperty("pytorch_max_abs_diff").GetDouble(), 0.9e-3, 1.1e-3);
        Assert.False(broken.GetProperty("float32_within_1e-5").GetBoolean());
    }
}
