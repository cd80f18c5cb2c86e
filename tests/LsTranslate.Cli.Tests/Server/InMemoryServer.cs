using LsTranslate.Cli.Server;
using LsTranslate.Model.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Server;

/// <summary>`serve`'s routes on one model, named "tiny", through ASP.NET Core's in-memory test host.</summary>
sealed class InMemoryServer : IAsyncDisposable
{
    InMemoryServer(WebApplication app, ServedModel model) => (App, Model, Client) = (app, model, app.GetTestClient());

    public WebApplication App { get; }
    public ServedModel Model { get; }
    public HttpClient Client { get; }

    public static async Task<InMemoryServer> Start(string modelDir, ServeLimits? limits = null, string? apiKey = null)
    {
        limits ??= new ServeLimits();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var loaded = new ModelDirectory(modelDir).Load("last");
        var model = new ServedModel("tiny", loaded.Model, [loaded], limits);
        var app = TranslationServer.Create(builder, [model], limits, apiKey);
        await app.StartAsync();
        return new InMemoryServer(app, model);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
