using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>
/// `lstranslate average` on step checkpoints whose weights the test sets: checkpoint.avg holds the element-wise mean of
/// the newest N, computed here in doubles from the weights written, and an older checkpoint left out changes nothing.
/// </summary>
public class AverageCommandTests : IClassFixture<DecodeCommandTests.TinyModel>, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("lst-average-").FullName;
    readonly ModelConfig config;

    public AverageCommandTests(DecodeCommandTests.TinyModel tiny)
    {
        foreach (var file in Directory.GetFiles(tiny.Dir).Where(f => !Path.GetFileName(f).StartsWith("checkpoint.step-")))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        config = new ModelDirectory(dir).ReadConfig();
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Writes checkpoint.step-{step} whose every weight is a seeded random value plus <paramref name="offset"/>; returns the weights.</summary>
    float[][] WriteStep(int step, float offset)
    {
        using var model = new Seq2SeqTransformer(config.Model);
        var random = new Random(step);
        var weights = new List<float[]>();
        using (no_grad())
            foreach (var p in model.parameters())
            {
                var values = Enumerable.Range(0, (int)p.numel()).Select(_ => (float)(random.NextDouble() * 2 - 1) + offset).ToArray();
                p.copy_(tensor(values).view(p.shape));
                weights.Add(values);
            }
        Checkpoint.Save(Path.Combine(dir, $"checkpoint.step-{step:D8}"), model, new TrainingProgress { Step = step }, optimizer: null);
        return weights.ToArray();
    }

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void CheckpointAvgIsTheElementWiseMeanOfTheNewestSteps()
    {
        WriteStep(10, offset: 100f); // older than the three averaged: --last 3 must leave it out
        var newest = new[] { WriteStep(20, 0f), WriteStep(30, 1f), WriteStep(40, -2f) };

        var (code, output, error) = Run("average", "--model", dir, "--last", "3");
        Assert.True(code == 0, error);
        Assert.Equal("", output);
        string avg = Path.Combine(dir, "checkpoint.avg");
        Assert.Equal($"averaged 3 checkpoints (checkpoint.step-00000020, checkpoint.step-00000030, checkpoint.step-00000040) into {avg}", error.TrimEnd('\n'));
        Assert.True(File.Exists(avg));

        using var loaded = new ModelDirectory(dir).Load("avg"); // what `decode --checkpoint avg` reads
        var averaged = loaded.Model.parameters().Select(p => p.data<float>().ToArray()).ToList();
        Assert.Equal(newest[0].Length, averaged.Count);
        double worst = 0;
        for (int p = 0; p < averaged.Count; p++)
        {
            Assert.Equal(newest[0][p].Length, averaged[p].Length);
            for (int i = 0; i < averaged[p].Length; i++)
            {
                double mean = ((double)newest[0][p][i] + newest[1][p][i] + newest[2][p][i]) / 3;
                worst = Math.Max(worst, Math.Abs(averaged[p][i] - mean));
            }
        }
        Assert.True(worst < 1e-5, $"largest difference from the element-wise mean: {worst}");

        // The mean of the newest two, and of one (itself), by the same rule.
        Assert.Equal(0, Run("average", "--model", dir, "--last", "2").Code);
        using (var two = new ModelDirectory(dir).Load("avg"))
        {
            var first = two.Model.parameters().First().data<float>().ToArray();
            for (int i = 0; i < first.Length; i++)
                Assert.True(Math.Abs((newest[1][0][i] + (double)newest[2][0][i]) / 2 - first[i]) < 1e-6, $"element {i}: {first[i]}");
        }
        Assert.Equal(0, Run("average", "--model", dir, "--last", "1").Code);
        using (var one = new ModelDirectory(dir).Load("avg"))
            Assert.Equal(newest[2].SelectMany(w => w), one.Model.parameters().SelectMany(p => p.data<float>().ToArray()));
    }

    [Fact]
    public void NothingToAverageOrAZeroCountIsOneErrorLine()
    {
        var (code, _, error) = Run("average", "--model", dir, "--last", "3");
        Assert.NotEqual(0, code);
        Assert.Contains("has no step checkpoints to average", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "checkpoint.avg")));

        WriteStep(1, 0f);
        (code, _, error) = Run("average", "--model", dir, "--last", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("--last must be at least 1, got 0", error);
    }
}
