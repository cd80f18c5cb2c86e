using System.Text.Json;
using LsTranslate.Model.IO;
using LsTranslate.Model.Training;

namespace LsTranslate.Model.Tests.IO;

public class JsonTests
{
    [Fact]
    public void WritesSnakeCaseAndReadsBothSpellings()
    {
        var options = new TrainOptions { MaxTokens = 1234, LabelSmoothing = 0.1, MaxTime = TimeSpan.FromMinutes(5) };
        string written = JsonSerializer.Serialize(options, Json.Options);
        Assert.Contains("\"max_tokens\": 1234", written);
        Assert.Contains("\"label_smoothing\": 0.1", written);
        Assert.DoesNotContain("maxTokens", written);
        Assert.Equal(options, Json.Deserialize<TrainOptions>(written));

        // A file from before the switch, in camelCase, nested records included.
        string camel = written.Replace("max_tokens", "maxTokens").Replace("label_smoothing", "labelSmoothing").Replace("max_time", "maxTime");
        Assert.Contains("maxTokens", camel);
        Assert.Equal(options, Json.Deserialize<TrainOptions>(camel));
        var step = new StepRecord("train", 10, 0, 2.5, 1e-3, 100, 1000, 3.5);
        string oldLine = JsonSerializer.Serialize(step, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        Assert.Equal(step, Json.Deserialize<StepRecord>(oldLine));
    }

    [Fact]
    public void InfinitiesRoundTrip()
    {
        var progress = new { best_dev_nll = double.PositiveInfinity };
        Assert.Contains("\"Infinity\"", JsonSerializer.Serialize(progress, Json.Line));
    }
}
