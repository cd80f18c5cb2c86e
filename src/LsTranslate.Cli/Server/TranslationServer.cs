using System.Security.Cryptography;
using System.Text;
using LsTranslate.Cli.Output;
using LsTranslate.Decode.Search;
using LsTranslate.Model.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LsTranslate.Cli.Server;

/// <summary>
/// The routes of `lstranslate serve`: POST /v1/translate, GET /v1/models, GET /health and the page at /. Bad requests
/// get 400 with one JSON error; a model too busy 503 with Retry-After; with an API key, /v1 needs `Authorization:
/// Bearer KEY` (401 without it, compared in constant time); cross-origin calls only from the one --cors origin.
/// </summary>
public static class TranslationServer
{
    public static WebApplication Create(WebApplicationBuilder builder, IReadOnlyList<ServedModel> models, ServeLimits limits,
        string? apiKey = null, string? corsOrigin = null)
    {
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (corsOrigin is not null && context.Request.Headers.Origin == corsOrigin)
            {
                context.Response.Headers.AccessControlAllowOrigin = corsOrigin;
                context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
                context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                if (HttpMethods.IsOptions(context.Request.Method)) { context.Response.StatusCode = 204; return; }
            }
            if (apiKey is not null && context.Request.Path.StartsWithSegments("/v1") && !Authorized(context.Request, apiKey))
            {
                await Error(context.Response, 401, "missing or wrong API key (send Authorization: Bearer KEY)");
                return;
            }
            await next();
        });

        // Answered without an API key, for a load balancer's checks: the port opens only once every model is loaded, and
        // a queue near its limit (then 503s) says to send elsewhere.
        app.MapGet("/health", () => Results.Json(new { status = "ok", models = models.Count, waiting = models.Sum(m => m.Waiting), queue_limit = models.Count * limits.MaxQueue },
            Json.Options));
        app.MapGet("/v1/models", () => Results.Json(models.Select(m => m.Describe()), Json.Options));
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        // The model a request names (null: the first), or null when none has that name.
        ServedModel? Named(string? name) => name is null ? models[0] : models.FirstOrDefault(m => m.Name == name);
        app.MapPost("/v1/translate", async context =>
        {
            var body = await ReadBody(context.Request, limits);
            if (body is null) { await Error(context.Response, 400, $"the body is over {limits.MaxBytes:N0} bytes"); return; }
            TranslateRequest request;
            ServedModel model;
            try
            {
                // A model imported from Hugging Face searches as generate does, unless the request says otherwise.
                request = TranslateRequest.Parse(body, limits, name => Named(name) is { } named ? SearchOptions.For(named.First.Config) : new SearchOptions());
                model = Named(request.Model)
                    ?? throw new BadRequest($"no model '{request.Model}' (serving: {string.Join(", ", models.Select(m => m.Name))})");
            }
            catch (BadRequest e) { await Error(context.Response, 400, e.Message); return; }
            var search = request.Search;
            if (request.TemperatureAuto)
            {
                if (model.FittedTemperature is not { } t) { await Error(context.Response, 400, $"model '{model.Name}' has no fitted temperature (run `lstranslate calibrate`)"); return; }
                search = search with { Temperature = t };
            }
            var translated = await model.Translate(request.Lines, search);
            if (translated is null)
            {
                context.Response.Headers.RetryAfter = "1";
                await Error(context.Response, 503, $"model '{model.Name}' is busy; retry shortly");
                return;
            }
            await context.Response.WriteAsJsonAsync(new { model = model.Name, temperature = search.Temperature, translations = translated.Select(TranslationPrinter.Served) }, Json.Options);
        });
        return app;
    }

    static bool Authorized(HttpRequest request, string apiKey)
    {
        string given = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!given.StartsWith(prefix, StringComparison.Ordinal)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given[prefix.Length..]), Encoding.UTF8.GetBytes(apiKey));
    }

    /// <summary>The body as text, or null past the byte limit (read no further than it).</summary>
    static async Task<string?> ReadBody(HttpRequest request, ServeLimits limits)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > limits.MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static Task Error(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new { error = message }, Json.Options);
    }

    static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(TranslationServer).Assembly.GetManifestResourceStream("LsTranslate.Cli.Server.page.html")!;
        return new StreamReader(stream).ReadToEnd();
    });
}
