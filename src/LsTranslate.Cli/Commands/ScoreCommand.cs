using System.CommandLine;
using System.Text.Json;
using LsTranslate.Metrics;
using LsTranslate.Metrics.Tokenizers;
using LsTranslate.Model;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate score`: sacreBLEU-exact BLEU, chrF(++) and TER of hypothesis files, with signatures.</summary>
static class ScoreCommand
{
    static readonly string[] MetricNames = ["bleu", "chrf", "ter"];
    static readonly string[] Formats = ["text", "json"];

    public static Command Create()
    {
        var hyp = new Option<string[]>("--hyp") { Description = "Hypothesis file, one segment per line; '-' reads stdin. Repeat to score several systems (the first is the --paired-bs baseline).", Required = true };
        var refs = new Option<string[]>("--ref") { Description = "Reference file, aligned with the hypotheses. Repeat for several references.", Required = true };
        var metrics = new Option<string>("--metrics") { Description = "Comma-separated metrics: bleu, chrf, ter.", DefaultValueFactory = _ => "bleu" };
        var tokenize = new Option<string>("--tokenize") { Description = "BLEU tokenizer: 13a, intl, char or none.", DefaultValueFactory = _ => "13a" };
        var lowercase = new Option<bool>("--lowercase", "-lc") { Description = "Case-insensitive BLEU and chrF." };
        var smoothMethod = new Option<string>("--smooth-method") { Description = "BLEU smoothing: exp, floor, add-k or none.", DefaultValueFactory = _ => "exp" };
        var smoothValue = new Option<double?>("--smooth-value") { Description = "Value for floor (default 0.1) or add-k (default 1)." };
        var wordOrder = new Option<int>("--chrf-word-order") { Description = "chrF word n-gram order; 2 gives chrF++.", DefaultValueFactory = _ => 0 };
        var format = new Option<string>("--format") { Description = "Output: text or json.", DefaultValueFactory = _ => "text" };
        var pairedBs = new Option<bool>("--paired-bs") { Description = "Paired bootstrap resampling of each --hyp against the first." };
        var pairedBsN = new Option<int>("--paired-bs-n") { Description = "Bootstrap resamples.", DefaultValueFactory = _ => PairedBootstrap.DefaultSamples };
        var seed = new Option<int>("--seed") { Description = "Random seed of the bootstrap.", DefaultValueFactory = _ => PairedBootstrap.DefaultSeed };
        var sentence = new Option<bool>("--sentence") { Description = "Score every line on its own (BLEU with effective order)." };
        var width = new Option<int>("--width", "-w") { Description = "Decimals of the printed scores.", DefaultValueFactory = _ => 2 };

        var command = new Command("score", "Score hypotheses against references: BLEU, chrF, TER, as sacreBLEU 2.x computes them.");
        foreach (var option in new Option[] { hyp, refs, metrics, tokenize, lowercase, smoothMethod, smoothValue, wordOrder, format, pairedBs, pairedBsN, seed, sentence, width })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var request = new Request(
                parse.GetValue(hyp)!, parse.GetValue(refs)!, ParseMetrics(parse.GetValue(metrics)!),
                parse.GetValue(tokenize)!, parse.GetValue(lowercase), parse.GetValue(smoothMethod)!, parse.GetValue(smoothValue),
                parse.GetValue(wordOrder), OneOf("format", parse.GetValue(format)!, Formats), parse.GetValue(pairedBs),
                parse.GetValue(pairedBsN), parse.GetValue(seed), parse.GetValue(sentence), parse.GetValue(width));
            Run(request, parse.InvocationConfiguration.Output);
            return 0;
        });
        return command;
    }

    sealed record Request(string[] Hyps, string[] Refs, string[] Metrics, string Tokenize, bool Lowercase, string SmoothMethod,
        double? SmoothValue, int ChrfWordOrder, string Format, bool PairedBs, int PairedBsN, int Seed, bool Sentence, int Width);

    static void Run(Request request, TextWriter output)
    {
        var metrics = request.Metrics.Select(name => CreateMetric(name, request)).ToArray();
        if (request.PairedBs && request.Hyps.Length < 2) throw new InputError("--paired-bs needs at least two --hyp files (the first is the baseline)");
        if (request.PairedBsN < 1) throw new InputError("--paired-bs-n must be at least 1");
        if (request.ChrfWordOrder < 0) throw new InputError("--chrf-word-order must be 0 or more");
        if (request.Width < 0) throw new InputError($"--width must be 0 or more, got {request.Width}");

        var referenceStreams = request.Refs.Select(LineFile.Read).ToArray();
        var systems = request.Hyps.Select(LineFile.Read).ToArray();
        CheckLineCounts(request, systems, referenceStreams);
        var references = new References(referenceStreams);
        bool json = request.Format == "json";

        if (request.PairedBs) WritePairedBootstrap(request, metrics, systems, references, output, json);
        else if (request.Sentence) WriteSentences(request, metrics, systems, references, output, json);
        else
        {
            var rows = new List<object>();
            for (int s = 0; s < systems.Length; s++)
                foreach (var metric in metrics)
                {
                    var score = metric.Corpus(systems[s], references);
                    if (json) rows.Add(Json(score, request.Hyps.Length > 1 ? request.Hyps[s] : null, request.Width));
                    else output.WriteLine((request.Hyps.Length > 1 ? request.Hyps[s] + ": " : "") + score.WithSignature(request.Width));
                }
            if (json) output.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
        }
    }

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>sacreBLEU's JSON score is the printed (rounded) score.</summary>
    static Dictionary<string, object?> Json(IMetricScore score, string? hyp, int width)
    {
        var row = new Dictionary<string, object?>();
        if (hyp != null) row["hyp"] = hyp;
        row["name"] = score.Name;
        row["score"] = PythonFormat.Round(score.Score, width);
        row["signature"] = score.Signature;
        row["text"] = score.Line(width);
        return row;
    }

    static void WriteSentences(Request request, TextMetric[] metrics, string[][] systems, References references, TextWriter output, bool json)
    {
        var rows = new List<object>();
        for (int s = 0; s < systems.Length; s++)
        {
            var perMetric = metrics.Select(m => m.Sentences(systems[s], references)).ToArray();
            for (int line = 0; line < references.Count; line++)
            {
                string? hyp = request.Hyps.Length > 1 ? request.Hyps[s] : null;
                if (json)
                    rows.AddRange(perMetric.Select(scores => (object)new Dictionary<string, object?>(Json(scores[line], hyp, request.Width)) { ["line"] = line + 1 }));
                else
                    output.WriteLine((hyp != null ? hyp + ":" : "") + $"{line + 1}\t" + string.Join('\t', perMetric.Select(scores => scores[line].Line(request.Width))));
            }
        }
        if (json) output.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
    }

    static void WritePairedBootstrap(Request request, TextMetric[] metrics, string[][] systems, References references, TextWriter output, bool json)
    {
        var rows = new List<object>();
        if (!json) output.WriteLine($"Paired bootstrap resampling: {request.PairedBsN} samples, seed {request.Seed}, baseline {request.Hyps[0]}");
        foreach (var metric in metrics)
        {
            var results = PairedBootstrap.Compare(metric, systems, references, request.PairedBsN, request.Seed);
            if (!json) output.WriteLine($"{results[0].Score.Name}|{results[0].Score.Signature}|bs:{request.PairedBsN}|seed:{request.Seed}");
            int nameWidth = request.Hyps.Max(h => h.Length);
            for (int s = 0; s < results.Count; s++)
            {
                var r = results[s];
                if (json)
                {
                    var row = Json(r.Score, request.Hyps[s], request.Width);
                    row["mean"] = Math.Round(r.Mean, 4);
                    row["ci95"] = Math.Round(r.ConfidenceInterval, 4);
                    row["p_value"] = r.PValue is { } pv ? Math.Round(pv, 4) : null;
                    row["baseline"] = s == 0;
                    rows.Add(row);
                    continue;
                }
                string line = $"  {request.Hyps[s].PadRight(nameWidth)}  {r.Score.Name} = {PythonFormat.Fixed(r.Score.Score, request.Width)} " +
                    $"(μ = {PythonFormat.Fixed(r.Mean, request.Width)} ± {PythonFormat.Fixed(r.ConfidenceInterval, request.Width)})";
                line += r.PValue is { } p ? $"  p = {PythonFormat.Fixed(p, 4)}{(p < 0.05 ? " *" : "")}" : "  (baseline)";
                output.WriteLine(line);
            }
        }
        if (json) output.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
    }

    static void CheckLineCounts(Request request, string[][] systems, string[][] referenceStreams)
    {
        int expected = referenceStreams[0].Length;
        var files = request.Refs.Zip(referenceStreams).Concat(request.Hyps.Zip(systems));
        foreach (var (file, lines) in files)
            if (lines.Length != expected)
                throw new InputError($"{DisplayName(file)} has {lines.Length} lines but {DisplayName(request.Refs[0])} has {expected}");
        for (int line = 0; line < expected; line++)
            if (referenceStreams.All(stream => stream[line].Length == 0))
                throw InputError.At(DisplayName(request.Refs[0]), line + 1, "empty reference line (sacreBLEU rejects these too)");
    }

    static string DisplayName(string path) => path == "-" ? "<stdin>" : path;

    static string[] ParseMetrics(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new InputError($"--metrics is empty (allowed: {string.Join(", ", MetricNames)})");
        foreach (var name in names) OneOf("metric", name, MetricNames);
        return names.Distinct().ToArray();
    }

    static string OneOf(string what, string value, IReadOnlyList<string> allowed) => allowed.Contains(value)
        ? value
        : throw new InputError($"unknown {what} '{value}' (allowed: {string.Join(", ", allowed)})");

    static TextMetric CreateMetric(string name, Request request) => name switch
    {
        "bleu" => new Bleu(new BleuOptions
        {
            Tokenize = OneOf("tokenizer", request.Tokenize, BleuTokenizer.Names),
            Lowercase = request.Lowercase,
            SmoothMethod = OneOf("smooth method", request.SmoothMethod, BleuOptions.SmoothMethods),
            SmoothValue = request.SmoothValue,
            EffectiveOrder = request.Sentence,
        }),
        "chrf" => new ChrF(new ChrFOptions { WordOrder = request.ChrfWordOrder, Lowercase = request.Lowercase }),
        _ => new Ter(),
    };
}
