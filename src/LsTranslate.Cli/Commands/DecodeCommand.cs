using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LsTranslate.Cli.Reports;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.IO;
using LsTranslate.Model.Text;
using LsTranslate.Model.Transformer;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate decode`: stdin to stdout like marian-decoder, one output line per input line.</summary>
static class DecodeCommand
{
    public static Command Create()
    {
        // fp32 by default: on a CPU with avx512_bf16, bf16 decoding measured 0.91-0.94x fp32 at batch 32 (small
        // per-step products, where the casts cost more than the faster multiply saves); `--precision bf16|auto` opts in.
        var model = new ModelOptions(defaultPrecision: null, ensemble: true);
        var input = new Option<string?>("--input", "-i") { Description = "Read source lines from this file instead of stdin" };
        var output = new Option<string?>("--output", "-o") { Description = "Write translations to this file (atomically) instead of stdout" };
        var search = new SearchArguments();
        var scores = new Option<bool>("--scores") { Description = "Print the length-normalised score before each translation (TAB-separated)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Sentences per batch", DefaultValueFactory = _ => 32 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Padded source tokens per batch (0: no limit)" };
        var maxInputTokens = new Option<int>("--max-input-tokens") { Description = "Crop longer sources to this many tokens (0: the model's positions); cropped lines are listed at the end" };
        var tokenScores = new Option<string?>("--token-scores")
        {
            Description = "Also print each output's pieces with their probabilities: `text` (after ' ||| ', spaces as ▁) or `json` (one object per input line)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        tokenScores.AcceptOnlyFromAmong("text", "json");
        var shardOption = DecodeShard.CreateOption();
        var onBadLine = OptionParsers.OneOf("--on-bad-line", "A line of invalid UTF-8: stop with its line number, or skip it (empty output line), or copy it to the output", "stop", "stop", "skip", "copy");

        var command = new Command("decode", "Translate lines from stdin (or --input) to stdout with greedy, beam search or sampling.")
        {
            input, output, scores, tokenScores, batchSize, maxTokens, maxInputTokens, onBadLine, shardOption,
        };
        model.AddTo(command);
        search.AddTo(command);
        command.SetAction(parsed =>
        {
            // Under mpiexec every rank loads the model and searches; rank 0 alone reads, writes and reports (DecodeRanks).
            var ranks = Communicator.World;
            var shard = parsed.GetValue(shardOption);
            if (shard is not null && ranks.Size > 1 && ranks.IsRoot) throw DecodeShard.UnderRanks(ranks.Size); // the others wait to be ended
            string? inputPath = parsed.GetValue(input);
            // Under mpiexec rank 0 must keep taking stdin while the model loads and chunks decode (see DrainedStdin).
            using var drained = ranks.Size > 1 && ranks.IsRoot && inputPath is null ? DecodeRanks.DrainedStdin() : null;
            var (models, device) = model.Load(parsed);
            var options = search.Read(parsed, models);
            IIncrementalSeq2Seq network = models.Count == 1 ? models[0].Model : new EnsembleSeq2Seq(models.Select(m => (IIncrementalSeq2Seq)m.Model).ToList());
            string? pieces = parsed.GetResult(tokenScores) is null ? null : parsed.GetValue(tokenScores) ?? "text";
            var translator = new Translator(network, models[0].Tokenizer, options,
                new BatchingOptions { BatchSize = parsed.GetValue(batchSize), MaxTokens = parsed.GetValue(maxTokens), MaxInputTokens = parsed.GetValue(maxInputTokens) },
                device, tokenScores: pieces is not null);
            if (!ranks.IsRoot)
            {
                DecodeRanks.Serve(translator, ranks);
                foreach (var loaded in models) loaded.Dispose();
                return 0;
            }

            using var inputStream = drained ?? (inputPath is null ? Console.OpenStandardInput() : OpenInput(inputPath));
            var badLines = new BadLines(parsed.GetValue(onBadLine)!);
            string inputName = inputPath ?? "<stdin>";
            var onInvalid = badLines.Handler;
            // A shard reads every line but answers only for its own: another shard's bad line is none of its business.
            if (shard is not null)
                onInvalid = (number, text) => !shard.Takes(number - 1) ? ""
                    : badLines.Handler is { } handler ? handler(number, text) : throw InputError.At(inputName, number, "invalid UTF-8");
            var lines = TextLines.Read(inputStream, inputName, onInvalid);
            if (shard is not null) lines = lines.Where((_, index) => shard.Takes(index));
            // The results' indices are the input's 0-based line numbers, a shard's too (n-best indices, json "line", reports).
            Func<long, long> inputIndex = shard is null ? taken => taken : shard.InputIndex;
            var translations = ranks.Size > 1 ? DecodeRanks.Translate(translator, lines, ranks) : translator.Translate(lines);
            bool withScores = parsed.GetValue(scores);
            string? outputPath = parsed.GetValue(output);
            var clock = Stopwatch.StartNew();
            long count = 0;
            void WriteAll(TextWriter writer, IWorkProgress progress, TextWriter log)
            {
                // A file's lines are counted first only for a bar (its end and ETA); stdin is a stream.
                long? total = progress.Visible && inputPath is not null ? File.ReadLines(inputPath).LongCount() : null;
                if (shard is not null && total is { } all) total = shard.Taken(all);
                progress.Report("translate", 0, total); // results come a chunk (2,000 lines) at a time
                foreach (var translated in translations)
                {
                    var line = badLines.Copied(translated with { Index = inputIndex(translated.Index) });
                    if (pieces == "json") writer.WriteLine(TokenScoreJson(line));
                    else Print(writer, line, options.NBest, withScores);
                    count++;
                    if (progress.Visible) progress.Report("translate", count, total, $"{count / clock.Elapsed.TotalSeconds:F1} lines/s");
                    if (count % 100 == 0)
                    {
                        writer.Flush();
                        if (!progress.Visible) log.Write($"\rtranslated {count} lines ({count / clock.Elapsed.TotalSeconds:F1} lines/s)");
                    }
                }
                writer.Flush();
            }
            ProgressDisplay.Run(parsed.InvocationConfiguration.Error, (progress, log) =>
            {
                if (outputPath is null) WriteAll(parsed.InvocationConfiguration.Output, progress, log);
                else AtomicFile.Write(outputPath, stream =>
                {
                    using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                    WriteAll(writer, progress, log);
                });
                return 0;
            });
            var stderr = parsed.InvocationConfiguration.Error;
            stderr.WriteLine($"\rtranslated {count} lines in {clock.Elapsed.TotalSeconds:F1} s ({count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F1} lines/s)");
            if (translator.CroppedCount > 0)
                stderr.WriteLine($"cropped {Lines(translator.CroppedCount)} to {translator.MaxInputTokens} source tokens: {LineList(translator.FirstCropped.Select(i => inputIndex(i) + 1), translator.CroppedCount)}");
            if (badLines.Count > 0)
                stderr.WriteLine($"{(badLines.Policy == "copy" ? "copied" : "skipped")} {Lines(badLines.Count)} of invalid UTF-8: {LineList(badLines.First, badLines.Count)}");
            foreach (var loaded in models) loaded.Dispose();
            return 0;
        });
        return command;
    }

    static string Lines(long count) => count == 1 ? "1 line" : $"{count:N0} lines";

    static string LineList(IEnumerable<long> first, long count)
    {
        var shown = first.ToList();
        return "line" + (count == 1 ? " " : "s ") + string.Join(", ", shown) + (count > shown.Count ? $" and {count - shown.Count} more" : "");
    }

    /// <summary>
    /// `--on-bad-line`: what a line of invalid UTF-8 becomes. skip and copy translate it as an empty line; copy then
    /// prints the line itself (bad bytes as U+FFFD) in its place. The first few line numbers are kept for the report.
    /// </summary>
    sealed class BadLines(string policy)
    {
        readonly Dictionary<long, string> toCopy = [];
        readonly List<long> first = [];

        public string Policy => policy;
        public long Count { get; private set; }
        public IReadOnlyList<long> First => first;

        public Func<long, string, string>? Handler => policy == "stop" ? null : (lineNumber, text) =>
        {
            if (Count++ < 10) first.Add(lineNumber);
            if (policy == "copy") toCopy[lineNumber - 1] = text;
            return "";
        };

        public TranslatedLine Copied(TranslatedLine line) =>
            toCopy.Remove(line.Index, out var text) ? line with { NBest = [new TranslatedHypothesis(text, [], 0)] } : line;
    }

    static Stream OpenInput(string path) =>
        File.Exists(path) ? File.OpenRead(path) : throw InputError.At(path, 0, "no such file");

    /// <summary>Marian/fairseq n-best format: `index ||| hypothesis ||| score`, then ` ||| pieces` with --token-scores.</summary>
    static void Print(TextWriter writer, TranslatedLine line, int nbest, bool withScores)
    {
        if (nbest > 1)
        {
            foreach (var hypothesis in line.NBest)
                writer.WriteLine($"{line.Index} ||| {hypothesis.Text} ||| {hypothesis.Score.ToString("F4", CultureInfo.InvariantCulture)}{Pieces(hypothesis)}");
            return;
        }
        var best = line.NBest.Count > 0 ? line.NBest[0] : new TranslatedHypothesis("", [], double.NegativeInfinity);
        writer.WriteLine((withScores ? $"{best.Score.ToString("F4", CultureInfo.InvariantCulture)}\t{best.Text}" : best.Text) + Pieces(best));
    }

    /// <summary>" ||| Lö=0.6213 scht=0.9120 ▁das=0.4102 </s>=0.9876": spaces inside a piece shown as ▁ so that pieces stay apart.</summary>
    static string Pieces(TranslatedHypothesis hypothesis) => hypothesis.TokenScores is not { Count: > 0 } pieces ? ""
        : " ||| " + string.Join(' ', pieces.Select(p => $"{p.Text.Replace(' ', '\u2581')}={p.Probability.ToString("F4", CultureInfo.InvariantCulture)}"));

    static string TokenScoreJson(TranslatedLine line) => JsonSerializer.Serialize(new
    {
        line = line.Index + 1,
        hypotheses = line.NBest.Select(h => new
        {
            text = h.Text,
            score = h.Score,
            tokens = (h.TokenScores ?? []).Select(p => new { text = p.Text, probability = p.Probability }),
        }),
    }, Json.Line);
}
