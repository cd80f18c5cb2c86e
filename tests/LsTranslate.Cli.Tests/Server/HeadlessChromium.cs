using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LsTranslate.Cli.Tests.Server;

/// <summary>
/// Debian's chromium, headless, driven through the DevTools protocol over its WebSocket: enough to load a page, run
/// JavaScript in it and take a screenshot. As root it needs --no-sandbox. <see cref="Find"/> is null where no chromium
/// is installed.
/// </summary>
sealed class HeadlessChromium : IAsyncDisposable
{
    readonly Process process;
    readonly ClientWebSocket socket = new();
    readonly string profile;
    int nextId;

    HeadlessChromium(Process process, string profile) => (this.process, this.profile) = (process, profile);

    public static string? Find() => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static async Task<HeadlessChromium> Start(string executable)
    {
        var profile = Directory.CreateTempSubdirectory("lst-chromium-").FullName;
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1000,700", "about:blank" })
            info.ArgumentList.Add(arg);
        var browser = new HeadlessChromium(Process.Start(info)!, profile);
        // It says where its DevTools endpoint listens on stderr: "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…".
        string? line;
        var port = "";
        while ((line = await browser.process.StandardError.ReadLineAsync()) is not null)
            if (line.StartsWith("DevTools listening on ws://", StringComparison.Ordinal)) { port = new Uri(line["DevTools listening on ".Length..]).Port.ToString(); break; }
        if (port.Length == 0) throw new InvalidOperationException("chromium did not start its DevTools endpoint");
        _ = browser.process.StandardError.ReadToEndAsync();
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
        await browser.socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
        return browser;
    }

    /// <summary>Sends one DevTools command and returns its result (events in between are skipped).</summary>
    public async Task<JsonNode> Send(string method, object? parameters = null)
    {
        int id = ++nextId;
        var message = JsonSerializer.Serialize(new { id, method, @params = parameters ?? new { } });
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1 << 20];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                received.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            var reply = JsonNode.Parse(received.ToArray())!;
            if (reply["id"]?.GetValue<int>() != id) continue;
            if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return reply["result"]!;
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> Evaluate(string expression) =>
        (await Send("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }))["result"]?["value"];

    /// <summary>Polls <paramref name="expression"/> until it is truthy; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitFor(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await Evaluate($"!!({expression})") is JsonValue v && v.GetValue<bool>()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the page never had {expression}");
    }

    public async Task Screenshot(string path)
    {
        var shot = await Send("Page.captureScreenshot", new { format = "png" });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }

    public async ValueTask DisposeAsync()
    {
        try { if (socket.State == WebSocketState.Open) await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); }
        catch (WebSocketException) { }
        socket.Dispose();
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
    }
}
