using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests.Translation;

/// <summary>
/// `decode --temperature auto` on what temperature changes: each token's probability and the score, not the 1-best text
/// (greedy search picks the same argmax at every T). At auto they must equal those at the recorded T given explicitly,
/// differ from T = 1, and move the way softmax(z/T) moves the top token's probability: p_T(argmax) = 1/Σ_j e^((z_j − z_max)/T)
/// falls as T grows, so T &gt; 1 lowers every greedily chosen token's probability and T &lt; 1 raises it.
/// </summary>
public class TemperatureAutoTests(DecodeCommandTests.TinyModel model) : TempFolderTest, IClassFixture<DecodeCommandTests.TinyModel>
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    string CopyOfModel(string name)
    {
        string copy = Path.Combine(Root, name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(model.Dir)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    sealed record Best(string Text, double Score, (string Text, double Probability)[] Tokens);

    /// <summary>Greedy 1-best of every input line with its token probabilities (--token-scores json).</summary>
    List<Best> Decode(string modelDir, string temperature)
    {
        string input = Path.Combine(Root, "in.txt");
        File.WriteAllText(input, "file 1 is open\nfile 3 is open\nfile 5 is open\n");
        var (code, output, error) = Run("decode", "--model", modelDir, "--temperature", temperature, "--input", input, "--beam", "1",
            "--max-len-a", "0", "--max-len-b", "3", "--token-scores", "json");
        Assert.True(code == 0, error);
        return output.TrimEnd('\n').Split('\n').Select(line =>
        {
            var best = JsonDocument.Parse(line).RootElement.GetProperty("hypotheses")[0];
            var tokens = best.GetProperty("tokens").EnumerateArray()
                .Select(t => (t.GetProperty("text").GetString()!, t.GetProperty("probability").GetDouble())).ToArray();
            return new Best(best.GetProperty("text").GetString()!, best.GetProperty("score").GetDouble(), tokens);
        }).ToList();
    }

    /// <summary>The checks every test here makes, for a model whose auto temperature is <paramref name="t"/>.</summary>
    void AutoIsTheRecordedTemperature(string modelDir, double t)
    {
        Assert.True(Math.Abs(t - 1) > 0.02, $"T = {t} is too close to 1 for this test to see it");
        var auto = Decode(modelDir, "auto");
        var given = Decode(modelDir, t.ToString("R", CultureInfo.InvariantCulture));
        var one = Decode(modelDir, "1");

        // auto is T itself: the same numbers, bit for bit.
        Assert.Equal(given.Select(b => b.Score), auto.Select(b => b.Score));
        Assert.Equal(given.SelectMany(b => b.Tokens), auto.SelectMany(b => b.Tokens));

        int checkedPieces = 0;
        for (int line = 0; line < auto.Count; line++)
        {
            var (a, o) = (auto[line], one[line]);
            Assert.Equal(o.Tokens.Select(p => p.Text), a.Tokens.Select(p => p.Text)); // greedy: the same argmax at any T
            // A piece before </s> is one token or several (a character split across byte-level tokens, probabilities
            // multiplied), each the argmax at its step. The final </s> may have been forced at the maximum length
            // rather than chosen, so it counts only where it is the whole output (chosen at the first step).
            int chosen = a.Tokens.Length == 1 ? 1 : a.Tokens.Length - 1;
            checkedPieces += chosen;
            for (int i = 0; i < chosen; i++)
            {
                double pa = a.Tokens[i].Probability, p1 = o.Tokens[i].Probability;
                Assert.True(t > 1 ? pa < p1 : pa > p1, $"line {line + 1} token {i} '{a.Tokens[i].Text}': p = {pa} at T = {t}, {p1} at T = 1");
            }
            Assert.NotEqual(o.Score, a.Score);
        }
        Assert.True(checkedPieces >= auto.Count);
    }

    [Fact]
    public void AutoAppliesTheTemperatureThatCalibrateRecorded()
    {
        string copy = CopyOfModel("calibrated");
        string dev = Path.Combine(Root, "dev.tsv");
        File.WriteAllText(dev, "file 1 is open\tDatei 1 ist offen\nfile 2 is open\tDatei 2 ist offen\nfile 4 is open\tDatei 4 ist offen\n");
        var (code, _, error) = Run("calibrate", "--model", copy, "--dev", dev);
        Assert.True(code == 0, error);
        double t = JsonDocument.Parse(File.ReadAllText(Path.Combine(copy, "calibration.json"))).RootElement.GetProperty("temperature").GetDouble();
        AutoIsTheRecordedTemperature(copy, t);
    }

    [Fact]
    public void AutoAppliesATemperatureThatAnOldConfigJsonKept()
    {
        string copy = CopyOfModel("config-temperature");
        string config = Path.Combine(copy, "config.json");
        var node = JsonNode.Parse(File.ReadAllText(config))!;
        node["temperature"] = 1.25;
        File.WriteAllText(config, node.ToJsonString());
        AutoIsTheRecordedTemperature(copy, 1.25);
    }
}
