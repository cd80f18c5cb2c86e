using System.CommandLine;
using System.Diagnostics;
using LsTranslate.Cli.Output;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.IO;
using LsTranslate.Model.Transformer;
using LsTranslate.Cli.Arguments;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate decode`: stdin to stdout like marian-decoder, one output line per input line.</summary>
static class DecodeCommand
{
    public static Command Create()
    {
        // --precision auto by default: bf16 where the CPU has it, which decoded the test set 1.5x faster than fp32 at the same BLEU.
        var model = new ModelOptions(defaultPrecision: null, ensemble: true);
        var input = new Option<string?>("--input", "-i")
        {
            Description = "Read source lines from this file instead of stdin (a FIFO or <(command) streams); under mpiexec, large input comes this way: MPICH's launcher ends the run when stdin arrives faster than rank 0 takes it",
        };
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
        var onBadLine = OptionParsers.OneOf("--on-bad-line", "A line of invalid UTF-8: stop with its line number, or skip it (empty output line), or copy it to the output",
            BadLines.Stop, BadLines.Stop, BadLines.Skip, BadLines.Copy);

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
            var lines = TextLines.Read(inputStream, inputName, badLines.Handler(inputName, shard));
            if (shard is not null) lines = lines.Where((_, index) => shard.Takes(index));
            // The results' indices are the input's 0-based line numbers, a shard's too (n-best indices, json "line", reports).
            Func<long, long> inputIndex = shard is null ? taken => taken : shard.InputIndex;
            var translations = ranks.Size > 1 ? DecodeRanks.Translate(translator, lines, ranks) : translator.Translate(lines);
            var printer = new TranslationPrinter(options.NBest, parsed.GetValue(scores), json: pieces == "json");
            string? outputPath = parsed.GetValue(output);
            var clock = Stopwatch.StartNew();
            long count = 0;
            var lastLogged = TimeSpan.Zero;
            void WriteAll(TextWriter writer, IWorkProgress progress, TextWriter log)
            {
                // A file's lines are counted first only for a bar (its end and ETA); stdin, a FIFO or <(command) is a stream.
                long? total = progress.Visible && inputPath is not null && inputStream.CanSeek ? File.ReadLines(inputPath).LongCount() : null;
                if (shard is not null && total is { } all) total = shard.Taken(all);
                progress.Report("translate", 0, total); // results come a chunk (2,000 lines) at a time
                foreach (var translated in translations)
                {
                    printer.Write(writer, badLines.Copied(translated with { Index = inputIndex(translated.Index) }));
                    count++;
                    if (progress.Visible) progress.Report("translate", count, total, $"{count / clock.Elapsed.TotalSeconds:F1} lines/s");
                    if (count % 100 == 0)
                    {
                        writer.Flush();
                        // Without a terminal (a log file) a line now and then, not a carriage return every 100 lines.
                        if (!progress.Visible && clock.Elapsed - lastLogged >= LogInterval)
                        {
                            lastLogged = clock.Elapsed;
                            log.WriteLine($"translated {count} lines ({count / clock.Elapsed.TotalSeconds:F1} lines/s)");
                        }
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
                stderr.WriteLine($"cropped {LineCount.Of(translator.CroppedCount)} to {translator.MaxInputTokens} source tokens: {LineCount.List(translator.FirstCropped.Select(i => inputIndex(i) + 1), translator.CroppedCount)}");
            if (badLines.Report() is { } report) stderr.WriteLine(report);
            foreach (var loaded in models) loaded.Dispose();
            return 0;
        });
        return command;
    }

    static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);

    static Stream OpenInput(string path) =>
        File.Exists(path) ? File.OpenRead(path) : throw InputError.At(path, 0, "no such file");
}
