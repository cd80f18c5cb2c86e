using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LsTranslate.Cli.Server;
using LsTranslate.Cli.Tests.Translation;
using LsTranslate.Model.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Server;

/// <summary>The API and the page through ASP.NET Core's in-memory test server, on the tiny model.</summary>
public class TranslationServerTests(DecodeCommandTests.TinyModel tiny) : IClassFixture<DecodeCommandTests.TinyModel>
{
    async Task<(WebApplication App, HttpClient Client)> Start(ServeLimits? limits = null, string? apiKey = null)
    {
        var server = await InMemoryServer.Start(tiny.Dir, limits, apiKey);
        return (server.App, server.Client);
    }

    static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task TranslatesWithPiecesProbabilitiesConfidenceAndAlternatives()
    {
        var (app, client) = await Start();
        await using var _ = app;
        var response = await client.PostAsync("/v1/translate", Body("""{"lines": ["file 1 is open", "file 2 is open"], "nbest": 2, "beam": 2, "max_len_b": 3}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("tiny", root.GetProperty("model").GetString());
        var translations = root.GetProperty("translations").EnumerateArray().ToList();
        Assert.Equal(2, translations.Count);
        foreach (var t in translations)
        {
            var pieces = t.GetProperty("tokens").EnumerateArray().ToList();
            Assert.Equal("</s>", pieces[^1].GetProperty("text").GetString());
            Assert.Equal(t.GetProperty("text").GetString(), string.Concat(pieces.SkipLast(1).Select(p => p.GetProperty("text").GetString())));
            double geometricMean = Math.Exp(pieces.Average(p => Math.Log(p.GetProperty("probability").GetDouble())));
            Assert.InRange(t.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.True(pieces.Count >= 1 && geometricMean > 0);
            Assert.Equal(1, t.GetProperty("alternatives").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"lines": []}""", "empty")]
    [InlineData("""{"text": "a", "beam": 99}""", "beam must be in 1..16")]
    [InlineData("""{"text": "a", "beam": 2, "nbest": 3}""", "nbest must be between 1 and beam (2), got 3")]
    [InlineData("""{"text": "a", "max_len_a": -1}""", "max_len_a must be a number ≥ 0, got -1")]
    [InlineData("""{"text": "a", "temperature": 0}""", "temperature must be a positive number, got 0")]
    [InlineData("""{"text": "a", "colour": "red"}""", "unknown field 'colour'")]
    [InlineData("""{"text": 5}""", "must be a string")]
    [InlineData("""{"text": "a", "model": "other"}""", "no model 'other'")]
    [InlineData("""{"text": "a", "temperature": "auto"}""", "no fitted temperature")]
    public async Task ABadRequestIs400WithOneJsonError(string body, string message)
    {
        var (app, client) = await Start();
        await using var _ = app;
        var response = await client.PostAsync("/v1/translate", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task LimitsHoldAndTheServerKeepsServing()
    {
        var (app, client) = await Start(new ServeLimits { MaxLines = 2, MaxBytes = 200 });
        await using var _ = app;
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/translate", Body("""{"lines": ["a", "b", "c"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/translate", Body($$"""{"text": "{{new string('a', 300)}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/translate", Body("""{"text": "file 1 is open", "max_len_b": 2}"""))).StatusCode);
    }

    [Fact]
    public async Task AnApiKeyGuardsTheApiButNotThePage()
    {
        var (app, client) = await Start(apiKey: "s3cret");
        await using var _ = app;
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/models")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/models")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        var models = JsonDocument.Parse(await client.GetStringAsync("/v1/models")).RootElement;
        Assert.Equal("tiny", models[0].GetProperty("name").GetString());
        Assert.Equal("unknown", models[0].GetProperty("languages").GetString()); // the tiny model was trained without --langs
        client.DefaultRequestHeaders.Authorization = null;
        var page = await client.GetStringAsync("/");
        Assert.Contains("<textarea id=\"source\"", page);
        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement; // no key needed
        Assert.Equal(("ok", 1, 0, new ServeLimits().MaxQueue),
            (health.GetProperty("status").GetString(), health.GetProperty("models").GetInt32(), health.GetProperty("waiting").GetInt32(), health.GetProperty("queue_limit").GetInt32()));
    }

    [Fact]
    public async Task ConcurrentRequestsWithTheSameOptionsShareOneBatchAndGetTheirOwnAnswers()
    {
        await using var server = await InMemoryServer.Start(tiny.Dir, new ServeLimits { BatchWindow = TimeSpan.FromMilliseconds(800) });
        var (model, client) = (server.Model, server.Client);
        string[] sources = ["file 1 is open", "file 2 is open", "file 3 is open", "file 4 is open"];
        async Task<string> Ask(string text)
        {
            var response = await client.PostAsync("/v1/translate", Body($$"""{"text": "{{text}}", "max_len_b": 3}"""));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("translations")[0].GetProperty("text").GetString()!;
        }
        var together = await Task.WhenAll(sources.Select(Ask));
        Assert.Equal(1, model.BatchesRun);
        var alone = new List<string>();
        foreach (var source in sources) alone.Add(await Ask(source));
        Assert.Equal(alone, together);
        Assert.Equal(1 + sources.Length, model.BatchesRun);
    }

    [Fact]
    public async Task SeveralModelsAndAnEnsembleAreServedSideBySideByName()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var a = new ModelDirectory(tiny.Dir).Load("last");
        var (b1, b2) = (new ModelDirectory(tiny.Dir).Load("last"), new ModelDirectory(tiny.Dir).Load("best"));
        var ensemble = new LsTranslate.Decode.Search.EnsembleSeq2Seq([b1.Model, b2.Model]);
        await using var app = TranslationServer.Create(builder,
            [new ServedModel("single", a.Model, [a]), new ServedModel("ensemble", ensemble, [b1, b2])], new ServeLimits());
        await app.StartAsync();
        var client = app.GetTestClient();
        var names = JsonDocument.Parse(await client.GetStringAsync("/v1/models")).RootElement.EnumerateArray().Select(m => m.GetProperty("name").GetString());
        Assert.Equal(["single", "ensemble"], names);
        foreach (var (asked, served) in new[] { ("", "single"), ("\"model\": \"ensemble\", ", "ensemble") })
        {
            var response = await client.PostAsync("/v1/translate", Body($$"""{{{asked}}"text": "file 1 is open", "max_len_b": 3}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(served, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("model").GetString());
        }
    }

    [Fact]
    public async Task AModelTooBusyAnswers503WithRetryAfter()
    {
        var (app, client) = await Start(new ServeLimits { MaxQueue = 0 });
        await using var _ = app;
        var response = await client.PostAsync("/v1/translate", Body("""{"text": "file 1 is open"}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
    }
}
