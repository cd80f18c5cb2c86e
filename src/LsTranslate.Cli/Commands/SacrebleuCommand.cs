using System.Globalization;
using System.CommandLine;
using LsTranslate.Metrics;
using LsTranslate.Metrics.Tokenizers;
using LsTranslate.Model;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>
/// `lstranslate sacrebleu`: sacreBLEU 2.x's command line for BLEU, chrF/chrF++ and TER — positional references,
/// `-i` (or stdin), `-m` with several metrics, JSON by default — and its stdout byte for byte, but for the version in
/// the signatures. Scripts written for `sacrebleu` can call it unchanged. `score` is our own interface to the same metrics.
/// </summary>
static class SacrebleuCommand
{
    public static Command Create()
    {
        var refs = new Argument<string[]>("REFS") { Description = "Reference files, line-aligned with the hypotheses", Arity = ArgumentArity.OneOrMore };
        var input = new Option<string[]>("--input", "-i") { Description = "Hypothesis file (default: stdin); several: a table of systems, or with --paired-bs/--paired-ar each tested against the first", AllowMultipleArgumentsPerToken = true };
        var metrics = new Option<string[]>("--metrics", "-m") { Description = "bleu, chrf and/or ter", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["bleu"] };
        var tokenize = OptionParsers.OneOf("--tokenize", "BLEU tokenizer", "13a", [.. BleuTokenizer.Names]);
        tokenize.Aliases.Add("-tok");
        var lowercase = new Option<bool>("--lowercase", "-lc") { Description = "Case-insensitive BLEU" };
        var smoothMethod = OptionParsers.OneOf("--smooth-method", "BLEU smoothing", "exp", [.. BleuOptions.SmoothMethods]);
        smoothMethod.Aliases.Add("-s");
        var smoothValue = new Option<double?>("--smooth-value", "-sv") { Description = "floor (default 0.1) or add-k (default 1) value" };
        var charOrder = new Option<int>("--chrf-char-order", "-cc") { Description = "chrF character n-gram order", DefaultValueFactory = _ => new ChrFOptions().CharOrder };
        var wordOrder = new Option<int>("--chrf-word-order", "-cw") { Description = "chrF word n-gram order (2: chrF++)", DefaultValueFactory = _ => new ChrFOptions().WordOrder };
        var beta = new Option<int>("--chrf-beta") { Description = "chrF β (recall weight)", DefaultValueFactory = _ => new ChrFOptions().Beta };
        var whitespace = new Option<bool>("--chrf-whitespace") { Description = "Keep whitespace in chrF's character n-grams" };
        var chrfLowercase = new Option<bool>("--chrf-lowercase") { Description = "Case-insensitive chrF" };
        var terCase = new Option<bool>("--ter-case-sensitive") { Description = "Case-sensitive TER" };
        var terNoPunct = new Option<bool>("--ter-no-punct") { Description = "Remove punctuation before TER" };
        var terNormalized = new Option<bool>("--ter-normalized") { Description = "Tercom's normalisation before TER" };
        var width = new Option<int>("--width", "-w") { Description = "Decimals of the printed scores", DefaultValueFactory = _ => 1 };
        var scoreOnly = new Option<bool>("--score-only", "-b") { Description = "Print the scores only" };
        var format = OptionParsers.OneOf("--format", "Output format", "json", "json", "text");
        format.Aliases.Add("-f");
        var sentenceLevel = new Option<bool>("--sentence-level", "-sl") { Description = "Score every line on its own (one metric)" };
        var pairedBs = new Option<bool>("--paired-bs", "-pbs") { Description = "Paired bootstrap resampling of each -i system against the first" };
        var pairedBsN = new Option<int>("--paired-bs-n", "-pbsn") { Description = "Bootstrap resamples", DefaultValueFactory = _ => BootstrapResamples.DefaultSamples };
        var pairedAr = new Option<bool>("--paired-ar", "-par") { Description = "Paired approximate randomization of each -i system against the first" };
        // sacreBLEU spreads systems over worker processes; our results never depend on it, so the option is taken and has no effect.
        var pairedJobs = new Option<int>("--paired-jobs", "-j") { Description = "Accepted for sacreBLEU's scripts; the tests run in this process" };
        var pairedArN = new Option<int>("--paired-ar-n", "-parn") { Description = "Randomization trials", DefaultValueFactory = _ => PairedRandomization.DefaultTrials };

        var command = new Command("sacrebleu", "sacreBLEU 2.x's command line: `lstranslate sacrebleu REF [REF …] -i HYP -m bleu chrf ter`, JSON by default.")
        {
            refs, input, metrics, tokenize, lowercase, smoothMethod, smoothValue, charOrder, wordOrder, beta, whitespace, chrfLowercase,
            terCase, terNoPunct, terNormalized, width, scoreOnly, format, sentenceLevel, pairedBs, pairedBsN, pairedAr, pairedArN, pairedJobs,
        };
        // sacreBLEU exits 1 on a bad input or option value (argparse's 2 stays for what cannot be parsed at all).
        command.SetAction(parse =>
        {
            try { return Run(parse); }
            catch (InputError e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"lstranslate: error: {e.Message}");
                return 1;
            }
        });
        return command;

        int Run(ParseResult parse)
        {
            var names = parse.GetValue(metrics)!.Select(m => m.ToLowerInvariant()).ToArray();
            bool sentences = parse.GetValue(sentenceLevel), bootstrap = parse.GetValue(pairedBs), randomization = parse.GetValue(pairedAr);
            bool paired = bootstrap || randomization;
            if (bootstrap && randomization) throw new InputError("--paired-bs and --paired-ar exclude each other");
            if (sentences && names.Length > 1) throw new InputError("--sentence-level takes one metric");
            int w = parse.GetValue(width), samples = parse.GetValue(pairedBsN), trials = parse.GetValue(pairedArN);
            if (w < 0) throw new InputError($"--width must be ≥ 0, got {w}");
            var hypothesisPaths = SystemNames(parse.GetValue(input) is { Length: > 0 } given ? given : ["-"], paired);
            if (sentences && hypothesisPaths.Length > 1) throw new InputError("--sentence-level takes one -i system");
            if (sentences && paired) throw new InputError("--sentence-level has no paired tests");
            if (paired && hypothesisPaths.Length < 2) throw new InputError("a paired test needs at least two -i systems (the first is the baseline)");
            // As sacreBLEU: a size of 0 or less means the test's default.
            if (samples < 1) samples = BootstrapResamples.DefaultSamples;
            if (trials < 1) trials = PairedRandomization.DefaultTrials;
            var settings = new ScoringSettings(names)
            {
                Bleu = new BleuOptions
                {
                    Tokenize = parse.GetValue(tokenize)!, Lowercase = parse.GetValue(lowercase), SmoothMethod = parse.GetValue(smoothMethod)!,
                    SmoothValue = parse.GetValue(smoothValue), EffectiveOrder = sentences,
                },
                ChrF = new ChrFOptions
                {
                    CharOrder = parse.GetValue(charOrder), WordOrder = parse.GetValue(wordOrder), Beta = parse.GetValue(beta),
                    Whitespace = parse.GetValue(whitespace), Lowercase = parse.GetValue(chrfLowercase),
                },
                Ter = new TerOptions
                {
                    CaseSensitive = parse.GetValue(terCase), NoPunct = parse.GetValue(terNoPunct), Normalized = parse.GetValue(terNormalized),
                },
            };

            var job = ScoringJob.Read(settings, parse.GetValue(refs)!, hypothesisPaths);
            var stdout = parse.InvocationConfiguration.Output;
            var output = new SacrebleuOutput(w, parse.GetValue(scoreOnly), parse.GetValue(format) == "json");
            if (bootstrap)
            {
                var (seed, seedName) = PairedTestSeed();
                output.WritePairedBootstrap(stdout, hypothesisPaths, job.CompareSystems(samples, seed), samples, seedName);
            }
            else if (randomization)
            {
                var (seed, seedName) = PairedTestSeed();
                output.WritePairedRandomization(stdout, hypothesisPaths, job.RandomizeSystems(trials, seed), trials, seedName);
            }
            else if (hypothesisPaths.Length > 1)
            {
                // Without a paired test sacreBLEU lists the metrics in name order, whatever order -m gave.
                var corpus = job.CorpusScores();
                var perMetric = names.Select((name, m) => (Name: name, Scores: (IReadOnlyList<IMetricScore>)corpus.Select(system => system[m]).ToList()));
                output.WriteSystems(stdout, hypothesisPaths, perMetric.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => x.Scores).ToList());
            }
            else if (sentences) output.WriteSentences(stdout, job.SentenceScores()[0][0]);
            else output.WriteCorpus(stdout, job.CorpusScores()[0]);
            return 0;
        }
    }

    /// <summary>
    /// The -i files, each naming its system, as sacreBLEU takes them: a name given twice is refused, except the baseline's
    /// in a paired test, which is dropped.
    /// </summary>
    static string[] SystemNames(string[] given, bool paired)
    {
        var names = new List<string>();
        foreach (var name in given)
        {
            if (!names.Contains(name)) names.Add(name);
            else if (!(paired && name == names[0])) throw new InputError($"'{name}' already names a system: give each system a file name of its own");
        }
        return [.. names];
    }

    /// <summary>
    /// The seed of a paired test as sacreBLEU takes it: SACREBLEU_SEED, 12345 when unset, "none" (any case) for a fresh
    /// one each run; the signature shows the number, or "none".
    /// </summary>
    static (int Seed, string Name) PairedTestSeed()
    {
        string given = Environment.GetEnvironmentVariable("SACREBLEU_SEED") ?? $"{BootstrapResamples.DefaultSeed}";
        if (given.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return (Random.Shared.Next(), "none");
        // Python's int(): surrounding blanks and a sign are allowed, and the signature prints the number, not the text.
        return int.TryParse(given, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign,
                   CultureInfo.InvariantCulture, out int seed) && seed >= 0
            ? (seed, seed.ToString(CultureInfo.InvariantCulture))
            : throw new InputError($"SACREBLEU_SEED must be None or an integer from 0 to {int.MaxValue}, got '{given}'");
    }
}
