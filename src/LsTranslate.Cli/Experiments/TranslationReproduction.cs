using System.Diagnostics;
using LsTranslate.Decode.Evaluation;
using LsTranslate.Metrics;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.IO;
using LsTranslate.Model.Training;
using TorchSharp;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Cli.Experiments;

/// <summary>Where the data comes from and what may be overridden on the command line.</summary>
/// <param name="SideBySide">train the models at once, a process each on a share of the cores, where that applies (<see cref="SideBySideTraining"/>).</param>
public sealed record TranslationRequest(
    TranslationScale Scale, string OutDir, string Train, string Dev, string Test,
    IReadOnlyList<double> Alphas, IReadOnlyList<string>? Models, int Seed, int Beam, double LengthPenalty, string Command,
    RunSettings Settings, string Languages = "en-de", bool SideBySide = true);

/// <summary>
/// The paper's translation experiment (Table 3, Figure 4): two models that differ only in α, their BLEU,
/// NLL, ECE and reliability, temperature scaling, a temperature sweep, significance, and the claims.
/// Every step's result is cached in the output folder, so an interrupted run resumes where it stopped.
/// </summary>
public sealed class TranslationReproduction
{
    // The decodes below leave the length penalty's style at its default; the report and the cache keys name that one.
    static readonly string LengthPenaltyStyle = new SearchOptions().LengthPenaltyStyle.ToString().ToLowerInvariant();

    readonly TranslationRequest request;
    readonly TextWriter log;
    readonly IWorkProgress progress;
    readonly StepCache cache;
    readonly torch.Device device;
    readonly Precision decodePrecision;
    readonly Communicator ranks = Communicator.World;

    TranslationReproduction(TranslationRequest request, TextWriter log, IWorkProgress progress)
    {
        this.request = request;
        this.log = ranks.IsRoot ? log : TextWriter.Null;
        this.progress = progress;
        cache = new StepCache(request.OutDir, log);
        device = request.Settings.TorchDevice;
        decodePrecision = request.Settings.ResolvedPrecision;
    }

    /// <remarks>
    /// Under a launcher that started several processes, every rank trains the models (data-parallel) and only rank 0
    /// measures them and writes the report; the others return null once the models are trained.
    /// </remarks>
    public static TranslationResults? Run(TranslationRequest request, TextWriter log, IWorkProgress? progress = null) =>
        new TranslationReproduction(request, log, progress ?? WorkProgress.None).Run();

    TranslationResults? Run()
    {
        var clock = Stopwatch.StartNew();
        var scale = request.Scale;
        if (ranks.IsRoot) AtomicFile.CreateDirectory(request.OutDir);
        // Rank 0 slices the corpora; the others take its paths (in the shared output folder) once they are written.
        var slices = ranks.Broadcast(ranks.IsRoot
            ? new[] { Slice(request.Train, "train", scale.TrainPairs), Slice(request.Dev, "dev", scale.DevPairs), Slice(request.Test, "test", scale.TestPairs) }
            : []);
        var (train, dev, test) = (slices[0], slices[1], slices[2]);

        var directories = request.Models ?? TrainModels(train, dev);
        if (!ranks.IsRoot) return null;
        var measured = directories.Select(d => MeasureModel(new ModelDirectory(d), dev, test)).OrderBy(m => m.Results.Training.Alpha).ToList();
        var models = measured.Select(m => m.Results).ToList();
        var (baseline, smoothed) = (measured[0], measured[^1]);
        var significance = cache.Get("significance", new { baseline = baseline.Results.Decode, system = smoothed.Results.Decode, samples = BootstrapResamples.DefaultSamples, stream = BootstrapResamples.Stream },
            () => Compare(baseline.Results, smoothed.Results, test));
        // The per-sentence statistics are large; the measurements they were kept with identify them.
        var uncertainty = cache.Get("uncertainty", new
            {
                models = measured.Select(m => new { m.Results.Name, m.Results.Test, m.Results.ScaledTest, m.Results.Decode, m.Results.ScaledDecode, m.Results.Sweep }),
                samples = BootstrapResamples.DefaultSamples, seed = BootstrapResamples.DefaultSeed, stream = BootstrapResamples.Stream,
            },
            () => TranslationBootstrap.Measure(baseline, smoothed, new References([ParallelCorpus.Read(CorpusSource.FromTsv(test)).Select(p => p.Target).ToList()])));
        var claims = TranslationClaims.Check(baseline.Results, smoothed.Results, significance, uncertainty);

        var precisions = $"training {string.Join(", ", models.Select(m => m.Learning.Precision).Distinct())}, " +
                         $"decoding {decodePrecision.Name()}, NLL/ECE/temperature fp32";
        int testPairs = CountPairs(test);
        var setup = new TranslationSetup(scale.Name, scale.Regime, precisions, request.Train, request.Dev, request.Test,
            CountPairs(train), CountPairs(dev), testPairs, scale.SweepPairs > 0 ? Math.Min(scale.SweepPairs, testPairs) : testPairs,
            new ModelDirectory(directories[0]).ReadConfig().Training.Preset, request.Seed, request.Beam, request.LengthPenalty, LengthPenaltyStyle,
            scale.Temperatures, RunEnvironment.Machine(), RunEnvironment.Versions(), request.Command);
        var results = new TranslationResults(setup, models, significance, uncertainty, claims, cache.RecordedSeconds(), clock.Elapsed.TotalSeconds);
        TranslationReport.Write(request.OutDir, results);
        return results;
    }

    /// <summary>An evenly strided slice of a corpus written under data/ (the files are sorted by source).</summary>
    string Slice(string corpus, string name, int pairs)
    {
        if (pairs <= 0) return corpus;
        string path = Path.Combine(request.OutDir, "data", name + ".tsv");
        if (File.Exists(path)) return path;
        var all = ParallelCorpus.Read(CorpusSource.FromTsv(corpus)).ToList();
        double stride = Math.Max(1.0, (double)all.Count / pairs);
        var kept = Enumerable.Range(0, Math.Min(pairs, all.Count)).Select(i => all[(int)(i * stride)]);
        AtomicFile.WriteAllText(path, string.Concat(kept.Select(p => $"{p.Source}\t{p.Target}\n")));
        return path;
    }

    static int CountPairs(string corpus) => ParallelCorpus.Read(CorpusSource.FromTsv(corpus)).Count();

    List<string> TrainModels(string train, string dev)
    {
        var jobs = request.Alphas.Select(a => Prepare(a, train, dev)).ToList();
        var pending = jobs.OfType<TrainJob>().ToList();
        if (request.SideBySide && SideBySideTraining.Applies(pending.Count, request.Settings))
        {
            var settings = SideBySideTraining.ChildSettings(pending.Count, request.Settings);
            log.WriteLine($"[run]   {pending.Count} models side by side, {settings.Threads} thread(s) each");
            SideBySideTraining.Run([.. pending.Select(job => job with { Settings = settings })], Path.Combine(request.OutDir, "models"), log);
        }
        else
            foreach (var job in pending) Trainer.Run(job.ToRequest(), log, progress);
        return request.Alphas.Select(ModelPath).ToList();
    }

    string ModelPath(double alpha) => Path.Combine(request.OutDir, "models", $"alpha-{alpha:0.###}");

    /// <summary>What training model α still needs, or null where it is trained to the end already.</summary>
    TrainJob? Prepare(double alpha, string train, string dev)
    {
        var scale = request.Scale;
        string dir = ModelPath(alpha);
        var options = scale.Training with { LabelSmoothing = alpha, Seed = request.Seed };
        var model = new ModelDirectory(dir);
        bool exists = model.HasConfig;
        if (exists)
        {
            // The scale fixes the budget too: all of it must match the stored recipe.
            var differing = model.ReadConfig().RecipeDifferences(options, CorpusSource.FromTsv(train).Describe());
            if (differing.Count > 0)
                throw InputError.At(dir, 0, $"holds a model trained with other options or data ({string.Join(", ", differing)}); remove it or choose another --out");
            if (Trainer.IsFinished(model))
            {
                log.WriteLine($"[reuse] model α = {alpha} ({dir})");
                return null;
            }
        }
        log.WriteLine($"[run]   {(exists ? "resume" : "train")} model α = {alpha} ({dir})");
        AtomicFile.CreateDirectory(Path.GetDirectoryName(dir)!);
        return new TrainJob($"α = {alpha}", train, dev, dir, options, request.Settings, exists, request.Languages);
    }

    ModelSentences MeasureModel(ModelDirectory dir, string dev, string test)
    {
        // The final checkpoint, not the dev-NLL minimum: the paper's claims are about networks trained to the
        // end, and stopping at the minimum would hide the overconfidence label smoothing is meant to fix.
        using var loaded = dir.Load("last");
        // A loaded model runs in fp32, so NLL, ECE and temperatures do not depend on how it trained; only decoding uses the request's precision.
        loaded.Model.to(device);
        string name = Path.GetFileName(Path.GetFullPath(dir.Path));
        var scale = request.Scale;
        var testSet = TestSet.Read(CorpusSource.FromTsv(test), loaded.Tokenizer);
        var sweepSet = scale.SweepPairs > 0 ? TestSet.Read(CorpusSource.FromTsv(test), loaded.Tokenizer, scale.SweepPairs) : testSet;
        bool sweepIsTest = sweepSet.Sources.Count == testSet.Sources.Count;
        // What each cached step depends on: the checkpoint, the data, and for decodes every search setting.
        var last = new FileInfo(loaded.Directory.LastCheckpoint);
        var model = new { checkpoint = last.Name, step = Checkpoint.ReadProgress<TrainingProgress>(last.FullName).Step, bytes = last.Length };
        var testData = DataIdentity(test, testSet.Sources.Count);
        object DecodeInputs(double temperature, TestSet set) => new
        {
            model, test = testData, sentences = set.Sources.Count, beam = request.Beam, lenpen = request.LengthPenalty, lenpen_style = LengthPenaltyStyle,
            precision = decodePrecision.Name(), temperature,
        };

        var training = cache.Get($"{name}/training", new { model }, () => Summarise(loaded));
        var fit = cache.Get($"{name}/temperature-fit", new { model, dev = DataIdentity(dev) }, () =>
        {
            using var devLogits = TeacherForcedLogits.Collect(loaded.Model, TestSet.Read(CorpusSource.FromTsv(dev), loaded.Tokenizer).Encoded);
            double t = devLogits.FitTemperature();
            return new TemperatureFit(t, devLogits.At(1.0), devLogits.At(t));
        });
        // The model's calibration.json, as `calibrate --checkpoint last` would write it: `-t auto`, decode and serve read T there.
        loaded.Directory.WriteCalibration(new CalibrationRecord(fit.Temperature, CorpusSource.FromTsv(dev).Describe(), "last", fit.DevBefore.Tokens,
            "target tokens", fit.DevBefore.Nll, fit.DevAfter.Nll, fit.DevBefore.Ece, fit.DevAfter.Ece));
        var calibration = cache.Get($"{name}/test-calibration",
            new { model, test = testData, temperatures = scale.Temperatures, fitted = fit.Temperature, per_sentence = true },
            () => SentenceCalibrationPass.Measure(loaded.Model, testSet.Encoded, scale.Temperatures.Append(1.0).Append(fit.Temperature).Distinct().ToList()));

        var decode = cache.Get($"{name}/decode-test-T1", DecodeInputs(1.0, testSet), () => Decode(loaded, testSet, 1.0, $"{name}.T1"));
        var scaledDecode = cache.Get($"{name}/decode-test-Tfit", DecodeInputs(fit.Temperature, testSet),
            () => Decode(loaded, testSet, fit.Temperature, $"{name}.Tfit"));
        // On the whole test set, the sweep's T = 1 is the decode above.
        var sweepDecodes = scale.Temperatures.Select(t => t == 1.0 && sweepIsTest
            ? decode
            : cache.Get($"{name}/decode-sweep-T{t:0.00}", DecodeInputs(t, sweepSet), () => Decode(loaded, sweepSet, t, $"{name}.sweep.T{t:0.00}"))).ToList();
        var sweep = sweepDecodes.Select(d =>
        {
            var c = calibration.At(d.Temperature);
            return new SweepPoint(d.Temperature, c.Nll, c.Ece, c.Accuracy, d.Bleu.Score, d.Hypotheses);
        }).ToList();
        var learning = LearningSummary.Of(loaded.Directory, training);
        var results = new ModelResults(name, training, learning, calibration.At(1.0), decode, fit, calibration.At(fit.Temperature), scaledDecode, sweep);

        var all = Enumerable.Range(0, testSet.Sources.Count).ToArray();
        var swept = sweepIsTest ? all : Positions(sweepSet, testSet);
        // Each decode's BLEU statistics as rows of the whole test set: a sweep of part of it leaves the other rows zero.
        double[] BleuStatistics(DecodeSummary d, TestSet decoded, int[] positions)
        {
            var bleu = new Bleu();
            var lines = bleu.LineStatistics(File.ReadAllLines(Path.Combine(request.OutDir, d.Hypotheses)), new References([decoded.References]));
            var rows = new double[testSet.Sources.Count * bleu.StatCount];
            for (int i = 0; i < positions.Length; i++) Array.Copy(lines, i * bleu.StatCount, rows, positions[i] * bleu.StatCount, bleu.StatCount);
            return rows;
        }
        return new ModelSentences(results, calibration, BleuStatistics(decode, testSet, all), BleuStatistics(scaledDecode, testSet, all),
            sweepDecodes.Select(d => BleuStatistics(d, sweepSet, swept)).ToList());
    }

    /// <summary>Where each pair of an evenly strided part of the test set sits in the whole (the part keeps its order).</summary>
    static int[] Positions(TestSet part, TestSet whole)
    {
        var positions = new int[part.Sources.Count];
        int at = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            while (whole.Sources[at] != part.Sources[i] || whole.References[at] != part.References[i]) at++;
            positions[i] = at++;
        }
        return positions;
    }

    /// <summary>A data file as a cached step depends on it: its path, size and how many of its pairs were used.</summary>
    static object DataIdentity(string path, int? pairs = null) => new { path, bytes = new FileInfo(path).Length, pairs };

    static TrainingSummary Summarise(LoadedModel loaded)
    {
        var progress = Checkpoint.ReadProgress<TrainingProgress>(loaded.Directory.LastCheckpoint);
        return new TrainingSummary(loaded.Directory.Path, loaded.Config.Training.LabelSmoothing, progress.Step, progress.BestStep,
            progress.ElapsedSeconds, loaded.Model.parameters().Sum(p => p.numel()), progress.BestDevNll);
    }

    DecodeSummary Decode(LoadedModel loaded, TestSet testSet, double temperature, string hypName)
    {
        var search = new SearchOptions { Beam = request.Beam, LengthPenalty = request.LengthPenalty, Temperature = temperature }.Validate();
        TranslationQuality quality;
        using (loaded.Model.InPrecision(decodePrecision)) quality = TranslationQuality.Measure(loaded.Model, loaded.Tokenizer, testSet, search);
        string hypPath = Path.Combine(request.OutDir, "hyp", hypName + ".txt");
        AtomicFile.WriteAllText(hypPath, string.Concat(quality.Hypotheses.Select(h => h + "\n")));
        log.WriteLine($"        T = {temperature:0.###}: {quality.Bleu.Text} ({testSet.Sources.Count} sentences, {quality.Seconds:F0} s)");
        return new DecodeSummary(temperature, testSet.Sources.Count, MetricSummary.Of(quality.Bleu), MetricSummary.Of(quality.UncasedBleu),
            MetricSummary.Of(quality.ChrF), quality.Seconds, Path.GetRelativePath(request.OutDir, hypPath));
    }

    Significance Compare(ModelResults baseline, ModelResults system, string test)
    {
        var references = ParallelCorpus.Read(CorpusSource.FromTsv(test)).Select(p => p.Target).ToList();
        IReadOnlyList<string> Hypotheses(ModelResults m) => File.ReadAllLines(Path.Combine(request.OutDir, m.Decode.Hypotheses));
        var results = PairedBootstrap.Compare(new Bleu(), [Hypotheses(baseline), Hypotheses(system)], new References([references]));
        return new Significance(baseline.Name, system.Name, results[0].Score.Score, results[1].Score.Score, results[1].Mean,
            results[1].ConfidenceInterval, results[1].PValue ?? double.NaN, BootstrapResamples.DefaultSamples);
    }
}
