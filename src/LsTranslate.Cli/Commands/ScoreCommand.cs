using System.CommandLine;
using LsTranslate.Metrics;
using LsTranslate.Model;
using LsTranslate.Cli.Output;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate score`: sacreBLEU-exact BLEU, chrF(++) and TER of hypothesis files, with signatures.</summary>
static class ScoreCommand
{
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
        var pairedBsN = new Option<int>("--paired-bs-n") { Description = "Bootstrap resamples.", DefaultValueFactory = _ => BootstrapResamples.DefaultSamples };
        var seed = new Option<int>("--seed") { Description = "Random seed of the bootstrap.", DefaultValueFactory = _ => BootstrapResamples.DefaultSeed };
        var sentence = new Option<bool>("--sentence") { Description = "Score every line on its own (BLEU with effective order)." };
        var width = new Option<int>("--width", "-w") { Description = "Decimals of the printed scores.", DefaultValueFactory = _ => 2 };

        var command = new Command("score", "Score hypotheses against references: BLEU, chrF, TER, as sacreBLEU 2.x computes them.");
        foreach (var option in new Option[] { hyp, refs, metrics, tokenize, lowercase, smoothMethod, smoothValue, wordOrder, format, pairedBs, pairedBsN, seed, sentence, width })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var hyps = parse.GetValue(hyp)!;
            bool sentences = parse.GetValue(sentence), paired = parse.GetValue(pairedBs), lower = parse.GetValue(lowercase);
            int samples = parse.GetValue(pairedBsN), decimals = parse.GetValue(width), chrfWordOrder = parse.GetValue(wordOrder);
            var settings = new ScoringSettings(ParseMetrics(parse.GetValue(metrics)!))
            {
                Bleu = new BleuOptions
                {
                    Tokenize = parse.GetValue(tokenize)!, Lowercase = lower, SmoothMethod = parse.GetValue(smoothMethod)!,
                    SmoothValue = parse.GetValue(smoothValue), EffectiveOrder = sentences,
                },
                ChrF = new ChrFOptions { WordOrder = chrfWordOrder, Lowercase = lower },
            };
            string chosenFormat = OneOf("format", parse.GetValue(format)!, Formats);
            if (paired && hyps.Length < 2) throw new InputError("--paired-bs needs at least two --hyp files (the first is the baseline)");
            if (samples < 1) throw new InputError("--paired-bs-n must be at least 1");
            if (chrfWordOrder < 0) throw new InputError("--chrf-word-order must be 0 or more");
            if (decimals < 0) throw new InputError($"--width must be 0 or more, got {decimals}");

            var job = ScoringJob.Read(settings, parse.GetValue(refs)!, hyps);
            var output = new ScoreOutput(parse.InvocationConfiguration.Output, decimals, chosenFormat == "json", hyps);
            if (paired) output.WritePairedBootstrap(job.CompareSystems(samples, parse.GetValue(seed)), samples, parse.GetValue(seed));
            else if (sentences) output.WriteSentences(job.SentenceScores());
            else output.WriteCorpus(job.CorpusScores());
            return 0;
        });
        return command;
    }

    static string[] ParseMetrics(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new InputError($"--metrics is empty (allowed: {string.Join(", ", ScoringJob.MetricNames)})");
        return names.Distinct().ToArray();
    }

    static string OneOf(string what, string value, IReadOnlyList<string> allowed) => allowed.Contains(value)
        ? value
        : throw new InputError($"unknown {what} '{value}' (allowed: {string.Join(", ", allowed)})");
}
