using LsTranslate.Decode.Search;
using LsTranslate.Model.Training;
using TorchSharp;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Decode;

/// <summary>
/// Translation from C#: load a model directory once, translate a string or a batch with the search options, dispose.
/// <code>
/// using var model = TranslationModel.Load("runs/en-de");
/// string german = model.Translate("Open the file.");
/// var many = model.Translate(lines, new SearchOptions { Beam = 8 });
/// </code>
/// Not thread-safe: one model per thread, or a lock around it.
/// </summary>
public sealed class TranslationModel : IDisposable
{
    readonly LoadedModel loaded;
    readonly TorchSharp.torch.Device device;

    TranslationModel(LoadedModel loaded, TorchSharp.torch.Device device)
    {
        this.loaded = loaded;
        this.device = device;
        Search = SearchOptions.For(loaded.Config);
    }

    /// <param name="modelDir">a run directory written by `lstranslate train` or `import`.</param>
    /// <param name="checkpoint">best (lowest dev NLL), last, avg or a checkpoint file's name.</param>
    /// <param name="settings">device, threads and precision (default: CPU, all cores, auto: bf16 where the CPU multiplies it natively).</param>
    public static TranslationModel Load(string modelDir, string checkpoint = "best", RunSettings? settings = null)
    {
        settings ??= new RunSettings();
        settings.ApplyToProcess();
        return new TranslationModel(new ModelDirectory(modelDir).Load(checkpoint, settings), settings.TorchDevice);
    }

    /// <summary>The search every call uses unless it is given its own (default: the model's, <see cref="SearchOptions.For"/>: ours are beam 4, GNMT length penalty 0.6).</summary>
    public SearchOptions Search { get; set; }

    public string Translate(string source, SearchOptions? options = null) => Translate([source], options)[0];

    /// <summary>One translation per source, in order; an empty source gives an empty translation.</summary>
    public IReadOnlyList<string> Translate(IEnumerable<string> sources, SearchOptions? options = null) =>
        new Translator(loaded.Model, loaded.Tokenizer, options ?? Search, new BatchingOptions(), device).Translate(sources).Select(line => line.Text).ToList();

    public void Dispose() => loaded.Dispose();
}
