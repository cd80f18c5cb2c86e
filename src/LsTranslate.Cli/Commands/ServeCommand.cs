using System.CommandLine;
using LsTranslate.Cli.Server;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TorchSharp;
using LsTranslate.Cli.Arguments;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate serve`: models loaded once behind a JSON API and a page, on ASP.NET Core's Kestrel.</summary>
static class ServeCommand
{
    public static Command Create()
    {
        var limits = new ServeLimits();
        var models = new Option<string[]>("--model", "-m") { Description = "Model directory to serve, by its folder's name or NAME=DIR (repeat for several; the first is the default)" };
        var ensemble = new Option<string[]>("--ensemble") { Description = "Model directories served together as one model named `ensemble`", AllowMultipleArgumentsPerToken = true };
        var checkpoint = ModelOptions.CheckpointOption();
        var host = new Option<string>("--host") { Description = "Address to listen on (127.0.0.1: this machine only)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port", DefaultValueFactory = _ => 8080 };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "File whose first line is the key every /v1 call must send as `Authorization: Bearer KEY` (or set LSTRANSLATE_API_KEY)" };
        var cors = new Option<string?>("--cors") { Description = "The one origin allowed to call from a browser page elsewhere (default: none)" };
        var maxLines = new Option<int>("--max-lines") { Description = "Lines per request", DefaultValueFactory = _ => limits.MaxLines };
        var maxBytes = new Option<int>("--max-bytes") { Description = "Bytes per request body", DefaultValueFactory = _ => limits.MaxBytes };
        var maxBeam = new Option<int>("--max-beam") { Description = "Largest beam a request may ask for", DefaultValueFactory = _ => limits.MaxBeam };
        var maxLenB = new Option<int>("--max-len-b-limit") { Description = "Largest max_len_b a request may ask for", DefaultValueFactory = _ => limits.MaxLenB };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests waiting for one model before the server answers 503", DefaultValueFactory = _ => limits.MaxQueue };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a request may take before it is answered 503", DefaultValueFactory = _ => limits.Timeout.TotalSeconds };
        var maxBatch = new Option<int>("--max-batch") { Description = "Lines translated together from concurrent requests with the same options (1: each request alone)", DefaultValueFactory = _ => limits.MaxBatch };
        var batchWindow = new Option<double>("--batch-window-ms") { Description = "How long a request waits for others to share its batch", DefaultValueFactory = _ => limits.BatchWindow.TotalMilliseconds };
        var settings = new RunSettingsOptions("Matrix products in fp32 or bf16");
        var command = new Command("serve", "Serve models over HTTP: POST /v1/translate, GET /v1/models, GET /health, and a page at / that shades each token by its probability.")
        {
            models, ensemble, checkpoint, host, port, apiKeyFile, cors, maxLines, maxBytes, maxBeam, maxLenB, maxQueue, timeout, maxBatch, batchWindow,
        };
        settings.AddTo(command);
        command.SetAction(parsed =>
        {
            var run = settings.Read(parsed);
            string which = parsed.GetValue(checkpoint)!;
            LoadedModel Load(string dir) => new ModelDirectory(dir).Load(which, run);
            var chosenLimits = new ServeLimits
            {
                MaxLines = parsed.GetValue(maxLines), MaxBytes = parsed.GetValue(maxBytes), MaxBeam = parsed.GetValue(maxBeam),
                MaxLenB = parsed.GetValue(maxLenB), MaxQueue = parsed.GetValue(maxQueue), Timeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                MaxBatch = Math.Max(1, parsed.GetValue(maxBatch)), BatchWindow = TimeSpan.FromMilliseconds(Math.Max(0, parsed.GetValue(batchWindow))),
            };
            var served = new List<ServedModel>();
            foreach (var spec in parsed.GetValue(models) ?? [])
            {
                var (name, dir) = spec.Contains('=') ? (spec[..spec.IndexOf('=')], spec[(spec.IndexOf('=') + 1)..]) : (Path.GetFileName(Path.TrimEndingDirectorySeparator(spec)), spec);
                var loaded = Load(dir);
                served.Add(new ServedModel(name, loaded.Model, [loaded], chosenLimits));
            }
            if (parsed.GetValue(ensemble) is { Length: > 0 } members)
            {
                var loaded = members.Select(Load).ToList();
                LoadedModel.RequireSharedVocabulary(loaded);
                served.Add(new ServedModel("ensemble", new EnsembleSeq2Seq(loaded.Select(m => (IIncrementalSeq2Seq)m.Model).ToList()), loaded, chosenLimits));
            }
            if (served.Count == 0) throw new InputError("give at least one --model (or --ensemble)");
            if (served.Select(m => m.Name).Distinct().Count() != served.Count) throw new InputError("two served models have the same name: use NAME=DIR");

            string? apiKey = parsed.GetValue(apiKeyFile) is { } keyFile
                ? (File.Exists(keyFile) ? File.ReadLines(keyFile).FirstOrDefault()?.Trim() : throw InputError.At(keyFile, 0, "no such file"))
                : Environment.GetEnvironmentVariable("LSTRANSLATE_API_KEY");
            if (apiKey is { Length: 0 }) throw new InputError("the API key is empty");
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders(); // stdout stays data; the one line below goes to stderr
            string url = $"http://{parsed.GetValue(host)}:{parsed.GetValue(port)}";
            builder.WebHost.UseUrls(url);
            using var app = TranslationServer.Create(builder, served, chosenLimits, apiKey, parsed.GetValue(cors));
            app.Start(); // the port is open before the line says so: a script may connect as soon as it reads it
            parsed.InvocationConfiguration.Error.WriteLine($"serving {string.Join(", ", served.Select(m => m.Name))} on {url} (page at {url}/){(apiKey is null ? "" : ", API key required")}; Ctrl-C stops");
            app.WaitForShutdown();
            foreach (var model in served) model.Dispose();
            return 0;
        });
        return command;
    }
}
