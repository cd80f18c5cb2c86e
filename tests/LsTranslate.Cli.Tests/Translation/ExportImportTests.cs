using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Tests;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>Weights out (safetensors, PyTorch) and back in: the imported run directory computes what the original did.</summary>
public class ExportImportTests : TempFolderTest, IClassFixture<DecodeCommandTests.TinyModel>
{
    readonly DecodeCommandTests.TinyModel model;

    public ExportImportTests(DecodeCommandTests.TinyModel model) => this.model = model;

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    static float[] Logits(Seq2SeqTransformer network)
    {
        using var scope = NewDisposeScope();
        var source = tensor(new long[] { 5, 9, 12, 7 }).unsqueeze(0);
        var target = tensor(new long[] { SpecialTokens.Bos, 8, 6 }).unsqueeze(0);
        using (no_grad()) return network.Forward(source, target).data<float>().ToArray();
    }

    [Theory]
    [InlineData("safetensors")]
    [InlineData("pytorch")]
    public void AnExportedModelImportsToTheSameLogits(string format)
    {
        string file = Path.Combine(Root, $"model.{format}");
        var export = Run("export", "--model", model.Dir, "--checkpoint", "last", "--format", format, "--out", file);
        Assert.True(export.Code == 0, export.Err);
        string imported = Path.Combine(Root, $"imported-{format}");
        var import = Run("import", "--weights", file, "--config", Path.Combine(model.Dir, "config.json"), "--tokenizer", model.Dir, "--out", imported);
        Assert.True(import.Code == 0, import.Err);

        using var original = new ModelDirectory(model.Dir).Load("last");
        using var best = new ModelDirectory(imported).Load("best");
        using var last = new ModelDirectory(imported).Load("last");
        Assert.Equal(Logits(original.Model), Logits(best.Model));
        Assert.Equal(Logits(original.Model), Logits(last.Model));
        var names = Run("export", "--model", model.Dir, "--list").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(original.Model.state_dict().Count, names.Length);
        Assert.Contains(names, n => n.StartsWith("embedding.weight\t["));
    }

    [Fact]
    public void WeightsOfAnotherArchitectureAreOneErrorLine()
    {
        string file = Path.Combine(Root, "model.safetensors");
        Assert.Equal(0, Run("export", "--model", model.Dir, "--out", file).Code);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(model.Dir, "config.json")))!;
        config["model"]!["feed_forward_dim"] = 48;
        string otherConfig = Path.Combine(Root, "config.json");
        File.WriteAllText(otherConfig, config.ToJsonString());
        var (code, _, error) = Run("import", "--weights", file, "--config", otherConfig, "--tokenizer", model.Dir, "--out", Path.Combine(Root, "other"));
        Assert.NotEqual(0, code);
        Assert.Contains("weights of another architecture: encoderLayers.0.feedForward.inner.weight [", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
