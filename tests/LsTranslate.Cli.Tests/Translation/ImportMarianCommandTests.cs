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
