using LsTranslate.Model.Training;
using LsTranslate.Model.Runs;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>The decode and train commands as a user meets them: line order, empty lines, formats and one-line errors.</summary>
public class DecodeCommandTests : TempFolderTest, IClassFixture<DecodeCommandTests.TinyModel>
{
    /// <summary>Two updates: outputs are barely words, which is all the format and error tests need.</summary>
    public sealed class TinyModel() : ToyModel(new TrainOptions { MaxSteps = 2, WarmupSteps = 1 }, new RunSettings());

    readonly TinyModel model;

    public DecodeCommandTests(TinyModel model) => this.model = model;

    string Input(string name, byte[] content)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void OneOutputLinePerInputLineWithEmptyLinesKept()
    {
        string input = Input("in.txt", "file 1 is open\n\nfile 2 is open\n"u8.ToArray());
        var (code, output, error) = Run("decode", "--model", model.Dir, "--beam", "2", "--input", input, "--max-len-b", "3");
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[1]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void BestOfARunThatNeverValidatedIsAnErrorNotAFallbackToLast()
    {
        string copy = Path.Combine(Root, "no-best");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(model.Dir).Where(f => Path.GetFileName(f) != "checkpoint.best"))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string input = Input("in.txt", "file 1 is open\n"u8.ToArray());

        var (code, output, error) = Run("decode", "--model", copy, "--input", input, "--max-len-b", "3");
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains("checkpoint.best", error);
        Assert.Contains("--checkpoint last", error);
        Assert.Single(error.TrimEnd().Split('\n'));

        Assert.Equal(0, Run("decode", "--model", copy, "--checkpoint", "last", "--input", input, "--max-len-b", "3").Code);
    }

    [Fact]
    public void AnEnsembleNeedsOneTokenizer()
    {
        string other = Path.Combine(Root, "other-tokenizer");
        Directory.CreateDirectory(other);
        foreach (var file in Directory.GetFiles(model.Dir)) File.Copy(file, Path.Combine(other, Path.GetFileName(file)));
        File.AppendAllText(Path.Combine(other, "vocab.json"), "\n"); // same tokens, other bytes: not provably the same tokenizer
        string input = Input("in.txt", "file 1 is open\n"u8.ToArray());

        var (code, output, error) = Run("decode", "--model", model.Dir, "--model", other, "--input", input);
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains("an ensemble needs one shared vocabulary", error);
        Assert.Equal(0, Run("decode", "--model", model.Dir, "--model", model.Dir, "--input", input, "--max-len-b", "3").Code);
    }

    string CopyOfModel(string name)
    {
        string copy = Path.Combine(Root, name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(model.Dir)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    [Fact]
    public void CalibrateRecordsItsFitInCalibrationJsonWhereTemperatureAutoReadsIt()
    {
        string copy = CopyOfModel("calibrated");
        string dev = Input("dev.tsv", "file 1 is open\tDatei 1 ist offen\nfile 2 is open\tDatei 2 ist offen\n"u8.ToArray());
        string configBefore = File.ReadAllText(Path.Combine(copy, "config.json"));
        var (code, output, error) = Run("calibrate", "--model", copy, "--dev", dev);
        Assert.True(code == 0, error);
        Assert.Equal(configBefore, File.ReadAllText(Path.Combine(copy, "config.json"))); // the recipe is not touched

        using var record = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(copy, "calibration.json")));
        var root = record.RootElement;
        double t = root.GetProperty("temperature").GetDouble();
        Assert.Contains($"recorded T = {t:F4}", output);
        Assert.Equal("best", root.GetProperty("checkpoint").GetString());
        Assert.Contains("dev.tsv", root.GetProperty("fitted_on").GetString());
        Assert.True(root.GetProperty("nll_after").GetDouble() <= root.GetProperty("nll_before").GetDouble() + 1e-9);
        foreach (var field in new[] { "ece_before", "ece_after", "count" }) Assert.True(root.TryGetProperty(field, out _), field);
        // What `--temperature auto` then does with it, and with a temperature an old config.json kept: TemperatureAutoTests.
    }

    [Theory]
    [InlineData("evaluate", "--test")]
    [InlineData("calibrate", "--dev")]
    public void OnlyDecodeTakesSeveralModels(string command, string dataOption)
    {
        string data = Input("pairs.tsv", "file 1 is open\tDatei 1 ist offen\n"u8.ToArray());
        var (code, output, error) = Run(command, "--model", model.Dir, "--model", model.Dir, dataOption, data);
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains("--model: this command uses one model", error);
    }

    [Fact]
    public void NBestPrintsIndexTextAndScoreSortedBestFirst()
    {
        string input = Input("in.txt", "file 1 is open\nfile 3 is open\n"u8.ToArray());
        var (code, output, error) = Run("decode", "--model", model.Dir, "--beam", "3", "--nbest", "3", "--input", input, "--max-len-b", "4");
        Assert.True(code == 0, error);
        var rows = output.TrimEnd('\n').Split('\n').Select(l => l.Split(" ||| ")).ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(3, r.Length));
        foreach (var sentence in rows.GroupBy(r => r[0]))
        {
            var scores = sentence.Select(r => double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(scores.OrderByDescending(s => s), scores);
            Assert.Equal(sentence.Count(), sentence.Select(r => r[1]).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("--beam", "0", "--beam must be at least 1")]
    [InlineData("--nbest", "9", "--nbest must be between 1 and --beam")]
    [InlineData("--temperature", "0", "--temperature must be a positive number")]
    [InlineData("--topk", "3", "lstranslate: error: --topk and --topp need --sampling\n")]
    [InlineData("--lenpen", "nan", "lstranslate: error: --lenpen must be a finite number, got NaN\n")]
    [InlineData("--max-input-tokens", "100000", "lstranslate: error: --max-input-tokens 100000 exceeds the model's")]
    [InlineData("--temperature", "auto", "needs a fitted temperature")]
    [InlineData("--lenpen-style", "marian", "unknown value 'marian'")]
    public void BadOptionsGiveOneErrorLine(string option, string value, string message)
    {
        string input = Input("in.txt", "file 1 is open\n"u8.ToArray());
        var (code, _, error) = Run("decode", "--model", model.Dir, "--input", input, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void TokenScoresFollowEachTranslationOnItsLineAsTextOrJson()
    {
        string input = Input("in.txt", "file 1 is open\n\nfile 2 is open\n"u8.ToArray());
        var text = Run("decode", "--model", model.Dir, "--input", input, "--max-len-b", "3", "--token-scores");
        Assert.True(text.Code == 0, text.Err);
        var lines = text.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[1]);
        foreach (var line in new[] { lines[0], lines[2] })
        {
            var (translation, pieces) = (line.Split(" ||| ")[0], line.Split(" ||| ")[1].Split(' '));
            Assert.Matches(@"^</s>=\d\.\d{4}$", pieces[^1]);
            Assert.Equal(translation, string.Concat(pieces.SkipLast(1).Select(p => p[..p.LastIndexOf('=')])).Replace('\u2581', ' '));
        }

        var json = Run("decode", "--model", model.Dir, "--input", input, "--max-len-b", "3", "--token-scores", "json", "--nbest", "2", "--beam", "2");
        Assert.True(json.Code == 0, json.Err);
        var objects = json.Out.TrimEnd('\n').Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2, 3], objects.Select(o => o.GetProperty("line").GetInt32()));
        var first = objects[0].GetProperty("hypotheses");
        Assert.Equal(2, first.GetArrayLength());
        foreach (var hypothesis in first.EnumerateArray())
        {
            var tokens = hypothesis.GetProperty("tokens").EnumerateArray().ToList();
            Assert.Equal("</s>", tokens[^1].GetProperty("text").GetString());
            Assert.All(tokens, t => Assert.InRange(t.GetProperty("probability").GetDouble(), 0, 1));
        }
    }

    [Fact]
    public void EvaluateListsEveryTargetTokensConfidenceInJson()
    {
        string pairs = Input("pairs.tsv", "file 1 is open\tDatei 1 ist offen\nfile 2 is open\tDatei 2 ist offen\n"u8.ToArray());
        var (code, output, error) = Run("evaluate", "--model", model.Dir, "--test", pairs, "--format", "json", "--token-confidences", "--temperature", "1.5");
        Assert.True(code == 0, error);
        var root = System.Text.Json.JsonDocument.Parse(output).RootElement;
        var tokens = root.GetProperty("tokens").EnumerateArray().ToList();
        var calibration = root.GetProperty("calibration");
        Assert.Equal(calibration.GetProperty("tokens").GetInt64(), tokens.Count);
        Assert.Equal(calibration.GetProperty("accuracy").GetDouble(), tokens.Average(t => t.GetProperty("correct").GetBoolean() ? 1.0 : 0.0), 9);
        Assert.All(tokens, t => Assert.True(t.GetProperty("gold_probability").GetDouble() <= t.GetProperty("confidence").GetDouble() + 1e-12));
        Assert.NotEqual(0, Run("evaluate", "--model", model.Dir, "--test", pairs, "--token-confidences").Code); // text has no room for them
    }

    [Fact]
    public void ALineLongerThanTheModelTakesIsCroppedAndTheStreamGoesOn()
    {
        string input = Input("long.txt", System.Text.Encoding.UTF8.GetBytes("file 1 is open\n" + string.Concat(Enumerable.Repeat("file 2 is open ", 40)) + "\nfile 3 is open\n"));
        var (code, output, error) = Run("decode", "--model", model.Dir, "--input", input, "--max-input-tokens", "8", "--max-len-b", "3");
        Assert.True(code == 0, error);
        Assert.Equal(3, output.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("cropped 1 line to 8 source tokens: line 2", error);
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("copy")]
    public void OnBadLineSkipOrCopyKeepsTheStreamGoingAndNamesTheLines(string policy)
    {
        string input = Input("bad.txt", [.. "file 1 is open\n"u8, .. "bad "u8, 0xff, (byte)'\n', .. "file 3 is open\n"u8]);
        var (code, output, error) = Run("decode", "--model", model.Dir, "--input", input, "--on-bad-line", policy, "--max-len-b", "3");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(policy == "copy" ? "bad \uFFFD" : "", lines[1]);
        Assert.Contains($"{(policy == "copy" ? "copied" : "skipped")} 1 line of invalid UTF-8: line 2", error);
    }

    [Fact]
    public void ABadLineStopsAnOutputFileFromBeingWrittenAtAll()
    {
        string input = Input("bad-out.txt", [.. "file 1 is open\n"u8, 0xff, (byte)'\n']);
        string outputFile = Path.Combine(Root, "translations.txt");
        var (code, _, error) = Run("decode", "--model", model.Dir, "--input", input, "--output", outputFile);
        Assert.Equal(2, code);
        Assert.Contains("bad-out.txt:2", error);
        Assert.Empty(Directory.GetFiles(Root, "translations.txt*"));
    }

    [Fact]
    public void InvalidUtf8NamesTheLine()
    {
        string input = Input("bad.txt", [.. "fine\n"u8, 0xff, 0xfe, (byte)'\n']);
        var (code, _, error) = Run("decode", "--model", model.Dir, "--input", input);
        Assert.Equal(2, code);
        Assert.Contains("bad.txt:2", error);
    }

    [Fact]
    public void MissingOrForeignModelDirectoryIsOneErrorLine()
    {
        string input = Input("in.txt", "x\n"u8.ToArray());
        var (missing, _, missingError) = Run("decode", "--model", Path.Combine(Root, "nope"), "--input", input);
        Assert.Equal(2, missing);
        Assert.Contains("no such model directory", missingError);
        var (foreign, _, foreignError) = Run("decode", "--model", Root, "--input", input);
        Assert.Equal(2, foreign);
        Assert.Contains("not a model directory", foreignError);
    }

    [Theory]
    [InlineData("--lr", "0", "lstranslate: error: --lr must be positive, got 0\n")]
    [InlineData("--warmup", "0", "lstranslate: error: --warmup must be at least 1, got 0\n")]
    [InlineData("--label-smoothing", "1", "lstranslate: error: --label-smoothing must be in [0, 1), got 1\n")]
    public void TrainNamesAWrongValueByItsOption(string option, string value, string message)
    {
        string corpus = Input("train.tsv", "a\tb\n"u8.ToArray());
        var (code, _, error) = Run("train", "--train", corpus, "--out", Path.Combine(Root, "m"), "--preset", "tiny", "--max-steps", "1", option, value);
        Assert.Equal(2, code);
        Assert.Equal(message, error);
    }

    [Fact]
    public void TrainRejectsALineWithoutTabNamingFileAndLine()
    {
        string corpus = Input("broken.tsv", "a\tb\nno tab here\n"u8.ToArray());
        var (code, _, error) = Run("train", "--train", corpus, "--out", Path.Combine(Root, "m"), "--preset", "tiny", "--max-steps", "1");
        Assert.Equal(2, code);
        Assert.Contains("broken.tsv:2", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
