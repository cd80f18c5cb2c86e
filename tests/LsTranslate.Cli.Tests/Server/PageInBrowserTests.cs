using System.Net.Http.Json;
using System.Text.Json;
using LsTranslate.Cli.Server;
using LsTranslate.Cli.Tests.Translation;
using LsTranslate.Model.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Server;

/// <summary>
/// The page in a real browser: a server on 127.0.0.1, headless chromium loads `/`, a sentence is typed and submitted,
/// and the translation the API gives must appear in the rendered page, every piece shaded. Skipped, saying so, only
/// where no chromium is installed, and never in CI, which installs it (<see cref="Prerequisite"/>).
/// </summary>
public class PageInBrowserTests(DecodeCommandTests.TinyModel tiny, ITestOutputHelper output) : IClassFixture<DecodeCommandTests.TinyModel>
{
    [SkippableFact]
    public async Task TypingASentenceShowsItsTranslationWithShadedPieces()
    {
        var executable = Prerequisite.Require(HeadlessChromium.Find(), "no chromium installed (apt-get install chromium)");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var loaded = new ModelDirectory(tiny.Dir).Load("last");
        await using var app = TranslationServer.Create(builder, [new ServedModel("tiny", loaded.Model, [loaded])], new ServeLimits());
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var api = await http.PostAsJsonAsync("/v1/translate", new { text = "file 1 is open" });
        string expected = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("translations")[0].GetProperty("text").GetString()!;

        await using var browser = await HeadlessChromium.Start(executable);
        await browser.Send("Page.enable");
        await browser.Send("Page.navigate", new { url });
        await browser.WaitFor("document.querySelector('#model option')", TimeSpan.FromSeconds(30));
        await browser.Evaluate("document.getElementById('source').value = 'file 1 is open'; document.getElementById('translate').click(); true");
        await browser.WaitFor("document.querySelector('.translation')", TimeSpan.FromSeconds(30));
        string shown = (await browser.Evaluate("Array.from(document.querySelectorAll('.translation .piece')).map(s => s.textContent).join('')"))!.GetValue<string>();
        int shaded = (await browser.Evaluate("Array.from(document.querySelectorAll('.translation .piece')).filter(s => s.style.background.startsWith('rgb')).length"))!.GetValue<int>();
        string info = (await browser.Evaluate("document.getElementById('model-info').textContent"))!.GetValue<string>();
        string screenshot = Path.Combine(Path.GetTempPath(), "lstranslate-page.png");
        await browser.Screenshot(screenshot);
        output.WriteLine($"chromium {executable}: page showed '{shown}' ({shaded} shaded pieces), model line '{info}'; screenshot {screenshot}");

        Assert.Equal(expected, shown);
        Assert.True(shaded > 0);
        Assert.StartsWith("tiny: α = 0", info);
    }
}
