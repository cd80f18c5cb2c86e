using System.Text.Json.Nodes;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>`import marian` from the command line: what it refuses (one line, exit 2, nothing written) and how the imported model decodes.</summary>
public class ImportMarianCommandTests : TempFolderTest
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    void AssertRefused(string dir, string reason)
    {
        string output = Path.Combine(Root, "out");
        var (code, _, error) = Run("import", "marian", dir, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void AGitLfsPointerIsNamedForWhatItIs() => AssertRefused(MarianFixtures.Model("lfs-pointer"), "Git LFS pointer");

    [Fact]
    public void ADirectoryWithoutWeightsIsRefused() => AssertRefused(MarianFixtures.Model("no-weights"), "no weights here");

    [Fact]
    public void AnotherModelTypeIsRefused() => AssertRefused(MarianFixtures.Model("other-type"), "model type 'bart'");

    [Fact]
    public void MismatchedVocabularySizesAreRefused()
    {
        string copy = Path.Combine(Root, "copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(MarianFixtures.Model("shared-relu")))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "config.json")))!;
        config["vocab_size"] = 50000;
        config["decoder_vocab_size"] = 50000;
        File.WriteAllText(Path.Combine(copy, "config.json"), config.ToJsonString());
        AssertRefused(copy, "vocab_size 50000 but vocab.json has 54776 pieces");
    }

    [Fact]
    public void AnImportedModelDecodesWithItsOwnDefaultsUnlessFlagsSayOtherwise()
    {
        string model = Path.Combine(Root, "model");
        var (code, _, error) = Run("import", "marian", MarianFixtures.Model("shared-swish"), "--out", model);
        Assert.True(code == 0, error);
        var expected = MarianFixtures.Expected("shared-swish");
        var (beam, greedy) = (expected.GetProperty("beam")[0], expected.GetProperty("greedy")[0]);
        string input = Path.Combine(Root, "in.txt");
        File.WriteAllText(input, MarianFixtures.Inputs()[beam.GetProperty("line").GetInt32()] + "\n");
        var (ownCode, own, ownError) = Run("decode", "--model", model, "--input", input, "--precision", "fp32");
        Assert.True(ownCode == 0, ownError);
        Assert.Equal(beam.GetProperty("text").GetString() + "\n", own);
        var (greedyCode, greedyOut, greedyError) = Run("decode", "--model", model, "--input", input, "--precision", "fp32", "--beam", "1");
        Assert.True(greedyCode == 0, greedyError);
        Assert.Equal(greedy.GetProperty("text").GetString() + "\n", greedyOut);
    }
}

/// <summary>`train --init`: an imported Marian model fine-tuned by our trainer still decodes as Hugging Face's does.</summary>
public class FineTuneImportedModelTests : TempFolderTest
{
    [Fact]
    public void FineTuningLowersTheDevLossAndKeepsTheTokenizerAndDecodingDefaults()
    {
        string imported = Path.Combine(Root, "imported"), tuned = Path.Combine(Root, "tuned");
        Assert.Equal(0, Cli.Run(["import", "marian", MarianFixtures.Model("shared-relu"), "--out", imported], TextWriter.Null, TextWriter.Null));
        string data = ToyCorpus.Write(Path.Combine(Root, "toy.tsv"), pairs: 48, seed: 3);
        var error = new StringWriter();
        int code = Cli.Run(["train", "--init", imported, "--train", data, "--dev", data, "--out", tuned, "--max-steps", "8", "--validate-every", "4",
            "--lr", "3e-3", "--warmup", "1", "--label-smoothing", "0.1", "--max-tokens", "2000", "--precision", "fp32"], TextWriter.Null, error);
        Assert.True(code == 0, error.ToString());
        var validations = File.ReadLines(Path.Combine(tuned, "train-log.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "valid").Select(r => r.GetProperty("nll").GetDouble()).ToList();
        Assert.Equal(2, validations.Count);
        Assert.True(validations[1] < validations[0], $"dev NLL {validations[0]} → {validations[1]}");
        foreach (var file in new[] { "source.spm", "target.spm", "vocab.json", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(tuned, file)), file);
        using var model = LsTranslate.Decode.TranslationModel.Load(tuned);
        Assert.Equal(4, model.Search.Beam);
        Assert.Equal(LsTranslate.Decode.Search.BeamStopping.HuggingFace, model.Search.Stopping);
        Assert.Equal(2, model.Translate(["a house", "the cat"]).Count);
    }
}
