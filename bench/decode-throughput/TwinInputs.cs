using System.Text.Json;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using static TorchSharp.torch;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace DecodeThroughput;

/// <summary>
/// `twin-inputs` mode: what pytorch_twin.py needs to decode the same sentences as we do and to compare its outputs
/// with ours. Writes one JSON file: the first N test sources (corpora/en-de/test.tsv.gz, source side, as Program.cs
/// reads them) encoded as Translator encodes them (no source EOS, cropped to the model's positions), the search
/// settings and special token ids the twin must reproduce, and our fp32 outputs' token ids (best hypothesis, no BOS/EOS)
/// for greedy and beam 4 at batch 32, decoded with the same SearchOptions as Program.cs (`new SearchOptions { Beam = beam }`).
/// Usage: DecodeThroughput.dll twin-inputs --model DIR --sentences N --out FILE [--threads 2] [--beams 1,4] [--batch 32]
/// </summary>
static class TwinInputs
{
    public static void Write(string[] args)
    {
        string Arg(string name, string? fallback)
        {
            int at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1]
                : fallback ?? throw new ArgumentException($"twin-inputs needs {name}");
        }
        string modelDir = Arg("--model", null), outFile = Arg("--out", null);
        int sentences = int.Parse(Arg("--sentences", "256"));
        int threads = int.Parse(Arg("--threads", "2"));
        int batch = int.Parse(Arg("--batch", "32"));
        int[] beams = Arg("--beams", "1,4").Split(',').Select(int.Parse).ToArray();
        set_num_threads(threads);

        var loaded = new ModelDirectory(modelDir).Load(); // the checkpoint Program.cs decodes with (best)
        var (model, tokenizer) = (loaded.Model, loaded.Tokenizer);
        model.Precision = Precision.Fp32;
        var lines = ParallelCorpus.Read(CorpusSource.FromTsv("corpora/en-de/test.tsv.gz")).Select(p => p.Source).Take(sentences).ToArray();
        // As Translator.TranslateChunk encodes: empty line → no tokens (not searched), cropped to the model's positions.
        var sources = lines.Select(l => l.Length == 0 ? [] : tokenizer.Encode(l)).Select(ids => ids.Length > model.MaxPositions ? ids[..model.MaxPositions] : ids).ToArray();

        var ours = new Dictionary<string, object>();
        var search = new Dictionary<string, object>();
        foreach (var beam in beams)
        {
            var options = new SearchOptions { Beam = beam };
            var translator = new Translator(model, tokenizer, options, new BatchingOptions { BatchSize = batch });
            var output = translator.Translate(lines).ToList();
            string name = beam == 1 ? "greedy" : $"beam{beam}";
            ours[name] = new Dictionary<string, object> { ["fp32"] = output.Select(l => l.NBest[0].Tokens).ToArray() };
            search[name] = new
            {
                beam = options.Beam, length_penalty = options.LengthPenalty, length_penalty_style = options.LengthPenaltyStyle.ToString().ToLowerInvariant(),
                max_len_a = options.MaxLenA, max_len_b = options.MaxLenB, min_len = options.MinLen, nbest = options.NBest,
                temperature = options.Temperature, no_repeat_ngram = options.NoRepeatNgram, early_stop = options.Stopping == BeamStopping.Beam, sampling = options.Sampling,
            };
            Console.Error.WriteLine($"twin-inputs: {name}, {lines.Length} sentences decoded");
        }

        using var file = File.Create(outFile);
        JsonSerializer.Serialize(file, new
        {
            model = modelDir,
            test_set = "corpora/en-de/test.tsv.gz (source side, first N sentences)",
            sentences = lines.Length,
            batch,
            special_tokens = new { pad = SpecialTokens.Pad, bos = SpecialTokens.Bos, eos = SpecialTokens.Eos },
            max_positions = model.MaxPositions,
            vocab_size = model.VocabSize,
            search,
            sources,
            ours,
        });
    }
}
