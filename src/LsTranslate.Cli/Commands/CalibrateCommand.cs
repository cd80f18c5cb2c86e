using System.CommandLine;
using LsTranslate.Decode.Evaluation;
using LsTranslate.Model;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.Runs;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate calibrate`: fits the temperature on a dev set by NLL and records it, with what it did there, in calibration.json.</summary>
static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new ModelOptions(defaultPrecision: "fp32");
        var dev = new Option<string?>("--dev") { Description = "Dev pairs (TSV) to fit the temperature on" };
        var devSrc = new Option<string?>("--dev-src") { Description = "Dev source file (with --dev-tgt)" };
        var devTgt = new Option<string?>("--dev-tgt") { Description = "Dev reference file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the fitted temperature without recording it" };
        var command = new Command("calibrate", "Fit the temperature T that minimises dev NLL (temperature scaling) and record it for --temperature auto.")
        {
            dev, devSrc, devTgt, dryRun,
        };
        model.AddTo(command);
        command.SetAction(parsed =>
        {
            var (models, _) = model.Load(parsed);
            using var loaded = models[0];
            var source = CorpusArguments.Required("--dev", parsed.GetValue(dev), parsed.GetValue(devSrc), parsed.GetValue(devTgt));
            var devSet = TestSet.Read(source, loaded.Tokenizer);
            using var logits = TeacherForcedLogits.Collect(loaded.Model, devSet.Encoded);
            // Fitted and measured on the same dev tokens; a temperature never changes the top-1 token, so one accuracy.
            var fitted = CalibrationSummary.Measure(logits.Logits, logits.Labels, logits.Logits, logits.Labels);
            var record = fitted.Record(source.Describe(), parsed.GetValue(model.Checkpoint)!, logits.Tokens, "target tokens");
            double temperature = record.Temperature;
            parsed.InvocationConfiguration.Output.WriteLine($"dev {source.Describe()}: {devSet.Sources.Count:N0} pairs, {logits.Tokens:N0} target tokens, {loaded.Model.Precision.Name()}");
            parsed.InvocationConfiguration.Output.WriteLine($"T = 1       NLL {record.NllBefore:F4}  ECE {record.EceBefore:F4}  accuracy {fitted.Accuracy * 100:F2} %");
            parsed.InvocationConfiguration.Output.WriteLine($"T = {temperature,-7:F4} NLL {record.NllAfter:F4}  ECE {record.EceAfter:F4}  accuracy {fitted.Accuracy * 100:F2} %");
            if (!parsed.GetValue(dryRun))
            {
                loaded.Directory.WriteCalibration(record);
                parsed.InvocationConfiguration.Output.WriteLine($"recorded T = {temperature:F4} in {loaded.Directory.CalibrationFile} (use --temperature auto)");
            }
            return 0;
        });
        return command;
    }
}
