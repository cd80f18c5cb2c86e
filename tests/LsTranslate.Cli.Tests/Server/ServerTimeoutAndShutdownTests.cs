using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LsTranslate.Cli.Server;
using LsTranslate.Cli.Tests.Faults;
using LsTranslate.Cli.Tests.Translation;
using LsTranslate.Model.Training;

namespace LsTranslate.Cli.Tests.Server;

/// <summary>
/// What a client sees when the server cannot answer in time (503 after the configured wait, and the server keeps
/// serving), and what stopping `lstranslate serve` with SIGTERM or Ctrl-C does: the request in flight is answered,
/// the process exits 0 and the port is free again.
/// </summary>
public class ServerTimeoutAndShutdownTests(DecodeCommandTests.TinyModel tiny) : IClassFixture<DecodeCommandTests.TinyModel>
{
    static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ARequestNotAnsweredWithinTheTimeoutIs503AndTheServerKeepsServing()
    {
        // A one-line request waits the whole batch window (3 s) for others to fill a batch of two: longer than the
        // 0.4 s the server may take. A two-line request fills the batch at once and is translated without waiting.
        var limits = new ServeLimits { Timeout = TimeSpan.FromMilliseconds(400), BatchWindow = TimeSpan.FromSeconds(3), MaxBatch = 2 };
        await using var server = await InMemoryServer.Start(tiny.Dir, limits);
        var (model, client) = (server.Model, server.Client);

        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync("/v1/translate", Body("""{"text": "file 1 is open", "max_len_b": 3}"""));
        var waited = clock.Elapsed;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        Assert.Contains("busy", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.True(waited >= limits.Timeout - TimeSpan.FromMilliseconds(20), $"answered after {waited.TotalMilliseconds:F0} ms, before the 400 ms timeout");
        // No upper bound on the wait (a busy machine may be slow): a 503 at all shows the timeout, not the window, ended it.

        // Once the window has passed, the request answered 503 has not been translated for no one.
        await Task.Delay(limits.BatchWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(0, model.BatchesRun);

        var full = await client.PostAsync("/v1/translate", Body("""{"lines": ["file 1 is open", "file 2 is open"], "max_len_b": 3}"""));
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await full.Content.ReadAsStringAsync()).RootElement.GetProperty("translations").GetArrayLength());
        Assert.Equal(1, model.BatchesRun);
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Theory]
    [InlineData(15)] // SIGTERM: what a service manager or `docker stop` sends
    [InlineData(2)]  // SIGINT: Ctrl-C
    public async Task ASignalStopsTheServerCleanlyAfterAnsweringTheRequestInFlight(int signal)
    {
        int port = FreePort();
        // A 1.5 s batch window keeps the request in flight while the signal arrives.
        using var server = CliProcess.Start(["serve", "--model", tiny.Dir, "--checkpoint", "last", "--port", $"{port}", "--batch-window-ms", "1500"]);
        Assert.True(server.WaitFor("Ctrl-C stops", TimeSpan.FromSeconds(90)), server.Stderr);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        var inFlight = client.PostAsync("/v1/translate", Body("""{"text": "file 1 is open", "max_len_b": 3}"""));
        await Task.Delay(500);
        Assert.False(inFlight.IsCompleted, "the request was answered before the signal: nothing was in flight");
        server.Signal(signal);

        // Answered, not cut off: a translation (Kestrel lets requests in flight finish) or a clean 503, never a reset connection.
        var response = await inFlight;
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (response.StatusCode == HttpStatusCode.OK)
            Assert.Equal(1, body.GetProperty("translations").GetArrayLength());
        else
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(body.TryGetProperty("error", out _));
        }

        Assert.Equal(0, server.Wait(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("Unhandled exception", server.Stderr);
        Assert.DoesNotContain("   at ", server.Stderr); // no stack trace

        // The port is released: nothing answers there, and another listener can take it.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/health"));
        var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
        again.Stop();
    }
}
