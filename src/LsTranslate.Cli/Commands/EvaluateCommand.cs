using System.CommandLine;
using System.Text.Json;
using LsTranslate.Cli.Reports;
using LsTranslate.Decode.Evaluation;
using LsTranslate.Metrics;
using LsTranslate.Model;
using LsTranslate.Model.IO;
using LsTranslate.Model.Runs;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate evaluate`: teacher-forced NLL, perplexity, accuracy and ECE of a model on a test set; BLEU with --beam.</summary>
static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new ModelOptions(defaultPrecision: "fp32");
        var test = new Option<string?>("--test") { Description = "Test pairs: TSV (source<TAB>reference), plain or gzip" };
        var testSrc = new Option<string?>("--test-src") { Description = "Test source file (with --test-tgt)" };
        var testTgt = new Option<string?>("--test-tgt") { Description = "Test reference file" };
        var beam = new Option<int>("--beam", "-b") { Description = "Also decode with this beam and report BLEU/chrF (0: skip decoding)" };
        var lenpen = new Option<double?>("--lenpen") { Description = $"Length penalty α when decoding (default: the model's own: {SearchArguments.Defaults.LengthPenalty} GNMT for ours, generation_config.json's for an imported one)" };
        var temperature = new Option<string>("--temperature", "-t") { Description = "Divide logits by T (number or `auto` for the calibrated T)", DefaultValueFactory = _ => "1" };
        var plot = new Option<string?>("--plot") { Description = "Write reliability.png and reliability.json into this folder" };
        var hypOut = new Option<string?>("--hyp-out") { Description = "Write the decoded hypotheses to this file" };
        var format = OptionParsers.OneOf("--format", "Output", "text", "text", "json");
        var tokenConfidences = new Option<bool>("--token-confidences") { Description = "With --format json: list every target token's top-1 confidence, correctness and gold probability" };
        var command = new Command("evaluate", "Measure a model on a test set: NLL, perplexity, token accuracy, ECE (15 bins), and BLEU with --beam.")
        {
            test, testSrc, testTgt, beam, lenpen, temperature, plot, hypOut, format, tokenConfidences,
        };
        model.AddTo(command);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(tokenConfidences) && parsed.GetValue(format) != "json")
                throw new InputError("--token-confidences needs --format json");
            var (models, _) = model.Load(parsed);
            using var loaded = models[0];
            double t = SearchArguments.Temperature(parsed.GetValue(temperature)!, [loaded]);
            if (!(t > 0)) throw new InputError($"--temperature must be positive, got {t}");
            var source = CorpusArguments.Required("--test", parsed.GetValue(test), parsed.GetValue(testSrc), parsed.GetValue(testTgt));
            var testSet = TestSet.Read(source, loaded.Tokenizer);

            TokenCalibration calibration;
            IReadOnlyList<TokenConfidence>? confidences = null;
            using (var logits = TeacherForcedLogits.Collect(loaded.Model, testSet.Encoded))
            {
                calibration = logits.At(t);
                if (parsed.GetValue(tokenConfidences)) confidences = logits.Confidences(t);
            }
            TranslationQuality? quality = null;
            if (parsed.GetValue(beam) is int b and > 0)
            {
                var own = Decode.Search.SearchOptions.For(loaded.Config);
                var search = (own with { Beam = b, LengthPenalty = parsed.GetValue(lenpen) ?? own.LengthPenalty, Temperature = t }).Validate();
                quality = TranslationQuality.Measure(loaded.Model, loaded.Tokenizer, testSet, search);
                if (parsed.GetValue(hypOut) is { } path) AtomicFile.WriteAllText(path, string.Join("\n", quality.Hypotheses) + "\n");
            }
            if (parsed.GetValue(plot) is { } folder)
            {
                Plots.Reliability(Path.Combine(folder, "reliability.png"), $"{Path.GetFileName(Path.GetFullPath(loaded.Directory.Path))} (T = {t:0.###})", calibration.Bins, calibration.Ece);
                ReportFiles.WriteJson(Path.Combine(folder, "reliability.json"), calibration);
            }

            if (parsed.GetValue(format) == "json")
            {
                var result = new
                {
                    model = loaded.Directory.Path, test = source.Describe(), pairs = testSet.Sources.Count, precision = loaded.Model.Precision.Name(), calibration,
                    bleu = quality is null ? null : Describe(quality.Bleu), bleuUncased = quality is null ? null : Describe(quality.UncasedBleu),
                    chrf = quality is null ? null : Describe(quality.ChrF),
                    tokens = confidences,
                };
                parsed.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(result, Json.Options));
                return 0;
            }
            parsed.InvocationConfiguration.Output.WriteLine($"model {loaded.Directory.Path} ({parsed.GetValue(model.Checkpoint)}), test {source.Describe()}: {testSet.Sources.Count:N0} pairs, {calibration.Tokens:N0} target tokens, T = {t:0.####}, {loaded.Model.Precision.Name()}");
            parsed.InvocationConfiguration.Output.WriteLine($"NLL {calibration.Nll:F4}  perplexity {calibration.Perplexity:F2}  token accuracy {calibration.Accuracy * 100:F2} %  ECE {calibration.Ece:F4} (15 bins)");
            if (quality is not null)
            {
                parsed.InvocationConfiguration.Output.WriteLine(quality.Bleu.WithSignature());
                parsed.InvocationConfiguration.Output.WriteLine(quality.UncasedBleu.WithSignature());
                parsed.InvocationConfiguration.Output.WriteLine(quality.ChrF.WithSignature());
            }
            return 0;
        });
        return command;
    }

    static object Describe(IMetricScore score) => new { name = score.Name, score = score.Score, signature = score.Signature.ToString(), text = score.Text };
}
