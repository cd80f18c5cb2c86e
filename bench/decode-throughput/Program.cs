// Decoding throughput of a small-preset model on the source side of corpora/en-de/test.tsv.gz, printed as
// one JSON object: greedy, beam 4 and beam 8 (GNMT length penalty 0.6), with the key/value cache (the real
// Step path) and without it (full Forward over the prefix each step), at batch 1 and batch 32; plus the
// one-sentence latency at beam 4 for a 20-word sentence.
// Usage: dotnet DecodeThroughput.dll (--model DIR | --random TOKENIZER_DIR) [--sentences N] [--sentences-batch1 M]
//            [--threads 2] [--cache cached,uncached] [--beams 1,4,8] [--batches 32,1] [--latency yes|no] [--precisions fp32,bf16]
// With both precisions, each configuration runs in fp32 and in bf16 and the share of sentences whose output is identical is reported.
// Uncached decoding is slow (each step reruns the encoder and all prefix logits): select parts to keep a run short.
// Other modes: `phases --model DIR` (where a decoder step goes, StepPhases.cs); `twin-inputs` (pytorch_twin.py's inputs).
using System.Diagnostics;
using System.Text.Json;
using DecodeThroughput;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

if (args.FirstOrDefault() == "twin-inputs") { TwinInputs.Write(args[1..]); return; } // pytorch_twin.py's inputs (TwinInputs.cs)
if (args.FirstOrDefault() == "phases") { StepPhases.Write(args[1..]); return; } // where a decoder step goes (StepPhases.cs)

string Arg(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
string? modelDir = Arg("--model", "") is { Length: > 0 } m ? m : null;
string? randomTokenizer = Arg("--random", "") is { Length: > 0 } r ? r : null;
int sentences = int.Parse(Arg("--sentences", "32"));
int sentencesBatch1 = int.Parse(Arg("--sentences-batch1", "8"));
int[] Ints(string name, string fallback) => Arg(name, fallback).Split(',').Select(int.Parse).ToArray();
var caches = Arg("--cache", "cached,uncached").Split(',');
bool latencyWanted = Arg("--latency", "yes") == "yes";
int threads = int.Parse(Arg("--threads", "2"));
var precisions = Arg("--precisions", "fp32").Split(',').Select(p => Precisions.Resolve(p, CPU)).ToArray();
var outputs = new Dictionary<(Precision, int, int, string), List<string>>();
new RunSettings(Threads: threads).ApplyToProcess(); // as the CLI: threads, and the heap keeps freed tensor memory

Seq2SeqTransformer model;
ISubwordTokenizer tokenizer;
if (modelDir is not null)
{
    var loaded = new ModelDirectory(modelDir).Load();
    (model, tokenizer) = (loaded.Model, loaded.Tokenizer);
}
else if (randomTokenizer is not null)
{
    tokenizer = SubwordTokenizers.Load(randomTokenizer);
    manual_seed(1);
    model = new Seq2SeqTransformer(TransformerConfig.Preset("small", tokenizer.VocabSize));
    model.ForInference();
}
else throw new ArgumentException("give --model DIR (trained) or --random TOKENIZER_DIR (random weights)");

var test = ParallelCorpus.Read(CorpusSource.FromTsv("corpora/en-de/test.tsv.gz")).Select(p => p.Source).ToArray();
var cached = new CountingSeq2Seq(model);
var uncached = new CountingSeq2Seq(new UncachedSeq2Seq(model));

object Run(CountingSeq2Seq counted, string cache, int beam, int batch, string[] lines, Precision precision = Precision.Fp32)
{
    model.Precision = precision;
    var translator = new Translator(counted, tokenizer, new SearchOptions { Beam = beam }, new BatchingOptions { BatchSize = batch });
    counted.Reset();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var output = translator.Translate(lines).ToList();
    double seconds = clock.Elapsed.TotalSeconds;
    // CPU time barely moves when other jobs share the cores (wall time does): compare before/after by it.
    double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    long tokens = output.Sum(l => (long)l.NBest[0].Tokens.Length + 1); // + EOS
    outputs[(precision, beam, batch, cache)] = output.Select(l => l.Text).ToList();
    return new
    {
        search = beam == 1 ? "greedy" : $"beam{beam}", cache, batch, sentences = lines.Length, precision = precision.Name(),
        seconds = Math.Round(seconds, 3),
        sentences_per_s = Math.Round(lines.Length / seconds, 2),
        target_tokens_per_s = Math.Round(tokens / seconds, 1),
        target_tokens = tokens,
        cpu_seconds = Math.Round(cpuSeconds, 3),
        target_tokens_per_cpu_s = Math.Round(tokens / cpuSeconds, 1),
        decoder_steps = counted.Steps,
        rows_fed = counted.RowsFed,
        ms_per_step = Math.Round(1000 * seconds / counted.Steps, 2),
    };
}

// Each configuration is timed on its second pass over the sentences: the first one also pays for growing the heap and
// libraries' per-shape set-up, which a long decode pays once (here it cost a third of a 256-sentence pass).
var results = new List<object>();
foreach (var batch in Ints("--batches", "32,1"))
    foreach (var beam in Ints("--beams", "1,4,8"))
        foreach (var (counted, cache) in new[] { (cached, "cached"), (uncached, "uncached") }.Where(c => caches.Contains(c.Item2)))
        foreach (var precision in precisions)
        {
            var lines = test[..(batch == 1 ? sentencesBatch1 : sentences)];
            Run(counted, cache, beam, batch, lines, precision);
            results.Add(Run(counted, cache, beam, batch, lines, precision));
            Console.Error.WriteLine(JsonSerializer.Serialize(results[^1])); // partial results survive a timeout
        }

// One 20-word sentence at beam 4, batch 1, cached: the median of 5 runs, at --threads and at 1 thread, in each precision.
var twenty = test.First(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 20);
object Latency(int threads, Precision precision)
{
    set_num_threads(threads);
    model.Precision = precision;
    var times = new List<double>();
    long steps = 0;
    for (int i = 0; i < 5; i++)
    {
        var translator = new Translator(cached, tokenizer, new SearchOptions { Beam = 4 }, new BatchingOptions { BatchSize = 1 });
        cached.Reset();
        var clock = Stopwatch.StartNew();
        translator.Translate([twenty]).ToList();
        times.Add(clock.Elapsed.TotalMilliseconds);
        steps = cached.Steps;
    }
    double median = times.Order().ElementAt(times.Count / 2);
    return new { threads, precision = precision.Name(), median_ms = Math.Round(median, 1), decoder_steps = steps, ms_per_step = Math.Round(median / steps, 2) };
}
var latency = !latencyWanted ? null : new { sentence_words = 20, source_tokens = tokenizer.Encode(twenty).Length, runs = precisions.SelectMany(p => new[] { threads, 1 }.Distinct().Select(t => Latency(t, p))).ToArray() };

// A ratio between two configurations, or null when either was not run.
double? Ratio((string Search, string Cache, int Batch) a, (string Search, string Cache, int Batch) b, string precisionA = "fp32", string precisionB = "fp32")
{
    double? TokensPerS((string Search, string Cache, int Batch) k, string precision) => results.Cast<dynamic>()
        .Where(x => x.search == k.Search && x.cache == k.Cache && x.batch == k.Batch && x.precision == precision)
        .Select(x => (double?)x.target_tokens_per_s).FirstOrDefault();
    return TokensPerS(a, precisionA) is { } x && TokensPerS(b, precisionB) is { } y ? Math.Round(x / y, 3) : null;
}
double? Bf16Speedup(string search, int batch) => Ratio((search, "cached", batch), (search, "cached", batch), "bf16", "fp32");
// Share of sentences whose bf16 output is the fp32 one, per cached configuration run in both.
var identical = outputs.Keys.Where(k => k.Item1 == Precision.Bf16 && outputs.ContainsKey((Precision.Fp32, k.Item2, k.Item3, k.Item4)))
    .ToDictionary(k => $"{(k.Item2 == 1 ? "greedy" : $"beam{k.Item2}")}_batch{k.Item3}_{k.Item4}", k =>
    {
        var (bf16, fp32) = (outputs[k], outputs[(Precision.Fp32, k.Item2, k.Item3, k.Item4)]);
        return Math.Round(bf16.Zip(fp32).Count(p => p.First == p.Second) / (double)bf16.Count, 4);
    });
Console.WriteLine(JsonSerializer.Serialize(new
{
    model = modelDir ?? $"random small-preset weights (tokenizer {randomTokenizer}): outputs run to max length 1.2|x|+10",
    test_set = "corpora/en-de/test.tsv.gz (source side, first N sentences)",
    threads,
    load_average = File.ReadAllText("/proc/loadavg").Trim(),
    length_penalty = "gnmt 0.6",
    target_tokens_counted = "output tokens of the best hypothesis + EOS",
    results,
    latency,
    ratios = new
    {
        cache_speedup_batch32_greedy = Ratio(("greedy", "cached", 32), ("greedy", "uncached", 32)),
        cache_speedup_batch32_beam4 = Ratio(("beam4", "cached", 32), ("beam4", "uncached", 32)),
        cache_speedup_batch32_beam8 = Ratio(("beam8", "cached", 32), ("beam8", "uncached", 32)),
        beam4_over_greedy_batch32 = Ratio(("beam4", "cached", 32), ("greedy", "cached", 32)),
        beam4_over_greedy_batch1 = Ratio(("beam4", "cached", 1), ("greedy", "cached", 1)),
        bf16_over_fp32_greedy_batch32 = Bf16Speedup("greedy", 32),
        bf16_over_fp32_beam4_batch32 = Bf16Speedup("beam4", 32),
    },
    bf16_identical_output_share = identical,
    goals = new
    {
        cache_speedup_batch32_min = 5, beam4_over_greedy_min = 0.5, latency_ms_max = 150,
        greedy_batch32_target_tokens_per_s_min = 3000, beam4_batch32_target_tokens_per_s_min = 1500, latency_ms_per_step_1_thread_max = 2.0,
        bf16_over_fp32_greedy_batch32_min = 1.0, bf16_over_fp32_beam4_batch32_min = 1.3,
    },
}));
