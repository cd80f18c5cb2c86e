using System.CommandLine;
using System.Globalization;
using LsTranslate.Cli.Experiments;
using LsTranslate.Model;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate reproduce translation`: the paper's translation experiment (Table 3, Figure 4), end to end.</summary>
static class ReproduceTranslationCommand
{
    public static Command Create()
    {
        var scale = OptionParsers.OneOf("--scale", "smoke (minutes, tiny models), quick (small preset, the whole corpus for 2,400 updates of 4,096 tokens per model with a cosine schedule, the 90-minute job on 2 cores), gpu (small preset, the whole corpus for 2,000 updates of 16k tokens), full (base preset, 100k updates)",
            "quick", [.. TranslationScale.All.Select(s => s.Name)]);
        var output = new Option<string>("--out") { Description = "Report folder (reruns resume from what it holds)", Required = true };
        var train = new Option<string>("--train") { Description = "Training pairs (TSV)", DefaultValueFactory = _ => "corpora/en-de/train.tsv.gz" };
        var dev = new Option<string>("--dev") { Description = "Dev pairs (TSV): validation and temperature fitting", DefaultValueFactory = _ => "corpora/en-de/dev.tsv.gz" };
        var test = new Option<string>("--test") { Description = "Test pairs (TSV)", DefaultValueFactory = _ => "corpora/en-de/test.tsv.gz" };
        var alpha = new Option<double>("--label-smoothing") { Description = "α of the smoothed model (the other has α = 0)", DefaultValueFactory = _ => 0.1 };
        var models = new Option<string[]>("--models") { Description = "Reuse these trained model directories instead of training (α read from each)", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<long?>("--steps") { Description = "Training updates per model (overrides the scale's budget; the cosine schedule ends there)" };
        var maxTime = new Option<TimeSpan?>("--max-time") { Description = "Also stop each model after this much training time (the schedule still ends at the scale's updates)", CustomParser = OptionParsers.Duration };
        var temperatures = new Option<string?>("--temperatures") { Description = "Sweep temperatures, comma-separated (default: 0.7,0.8,…,1.6)" };
        var sweepPairs = new Option<int?>("--sweep-sentences") { Description = "Test sentences decoded at each sweep temperature (0: all)" };
        var beam = new Option<int>("--beam") { Description = "Beam size", DefaultValueFactory = _ => SearchArguments.Defaults.Beam };
        var lenpen = new Option<double>("--lenpen") { Description = "GNMT length penalty α", DefaultValueFactory = _ => SearchArguments.Defaults.LengthPenalty };
        var seed = new Option<int>("--seed") { Description = "Seed of both models", DefaultValueFactory = _ => 1 };
        var langs = new Option<string>("--langs") { Description = "Source and target language of the corpora, recorded with each model", DefaultValueFactory = _ => "en-de" };
        var oneAtATime = new Option<bool>("--one-model-at-a-time") { Description = "Train the models one after the other on all threads (default on a CPU: side by side, a process each on a share of the cores)" };
        var settings = new RunSettingsOptions("Matrix products of training and decoding (NLL, ECE and T are always measured in fp32)");

        var command = new Command("translation", "Train α = 0 and α > 0 translation models and report BLEU, NLL, ECE, temperature scaling and the paper's claims.")
        {
            scale, output, train, dev, test, alpha, models, steps, maxTime, temperatures, sweepPairs, beam, lenpen, seed, langs, oneAtATime,
        };
        settings.AddTo(command);
        command.SetAction(parsed =>
        {
            var chosen = TranslationScale.Named(parsed.GetValue(scale)!);
            if (parsed.GetValue(steps) is { } s) chosen = chosen with { Training = chosen.Training with { MaxSteps = s } };
            if (parsed.GetValue(maxTime) is { } t) chosen = chosen with { Training = chosen.Training with { MaxTime = t } };
            if (parsed.GetValue(temperatures) is { } list) chosen = chosen with { Temperatures = ParseTemperatures(list) };
            if (parsed.GetValue(sweepPairs) is { } n) chosen = chosen with { SweepPairs = n };
            double smoothing = parsed.GetValue(alpha);
            if (smoothing is <= 0 or >= 1) throw new InputError($"--label-smoothing must be in (0, 1), got {smoothing}");
            var given = parsed.GetValue(models);
            if (given is { Length: not 2 and not 0 }) throw new InputError($"--models takes exactly two model directories, got {given.Length}");
            var request = new TranslationRequest(chosen, parsed.GetValue(output)!, parsed.GetValue(train)!, parsed.GetValue(dev)!, parsed.GetValue(test)!,
                [0.0, smoothing], given is { Length: 2 } ? given : null, parsed.GetValue(seed), parsed.GetValue(beam), parsed.GetValue(lenpen),
                "lstranslate " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), settings.Read(parsed), parsed.GetValue(langs)!, SideBySide: !parsed.GetValue(oneAtATime));
            var results = ProgressDisplay.Run(parsed.InvocationConfiguration.Error, (progress, log) => TranslationReproduction.Run(request, log, progress));
            if (results is null) return 0; // a rank other than 0: it trained, rank 0 measures and reports
            var stdout = parsed.InvocationConfiguration.Output;
            Claims.Print(stdout, results.Claims);
            stdout.WriteLine($"report: {Path.Combine(request.OutDir, "report.md")}");
            return 0;
        });
        return command;
    }

    static double[] ParseTemperatures(string list)
    {
        var values = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && t > 0
                ? t : throw new InputError($"--temperatures: '{v}' is not a positive number")).ToArray();
        return values.Length > 0 ? values : throw new InputError("--temperatures: give at least one temperature");
    }
}
