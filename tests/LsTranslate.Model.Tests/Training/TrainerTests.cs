using LsTranslate.Model.Training;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Tests;
using LsTranslate.Model.Transformer;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Training;

public class TrainerTests : TempFolderTest
{
    string WriteCorpus(string name, int pairs, int seed) => ToyCorpus.Write(Path.Combine(Root, name), pairs, seed);

    TrainRequest Request(string outDir, long maxSteps, bool resume = false) => new(
        CorpusSource.FromTsv(WriteCorpus("train.tsv", 300, 1)), CorpusSource.FromTsv(WriteCorpus("dev.tsv", 40, 2)),
        Path.Combine(Root, outDir),
        new TrainOptions { Preset = "tiny", VocabSize = 320, MaxTokens = 256, Dropout = 0.1, MaxSteps = maxSteps, ValidateEvery = 3, LogEvery = 1, WarmupSteps = 4 },
        new RunSettings(), Resume: resume);

    static float[] Weights(string checkpoint, ModelConfig config)
    {
        using var model = new LsTranslate.Model.Transformer.Seq2SeqTransformer(config.Model);
        Checkpoint.Load<TrainingProgress>(checkpoint, model);
        return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void ResumedRunEqualsUninterruptedRun()
    {
        Trainer.Run(Request("straight", 6), TextWriter.Null);
        Trainer.Run(Request("interrupted", 3), TextWriter.Null);
        var resumed = Trainer.Run(Request("interrupted", 6, resume: true), TextWriter.Null);

        Assert.Equal(6, resumed.Progress.Step);
        var straight = new ModelDirectory(Path.Combine(Root, "straight"));
        var interrupted = new ModelDirectory(Path.Combine(Root, "interrupted"));
        Assert.Equal(Weights(straight.LastCheckpoint, straight.ReadConfig()), Weights(interrupted.LastCheckpoint, interrupted.ReadConfig()));
        Assert.Equal(File.ReadAllLines(straight.LogFile).Length, File.ReadAllLines(interrupted.LogFile).Length);
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        Trainer.Run(Request("saved", 3), TextWriter.Null);
        var dir = new ModelDirectory(Path.Combine(Root, "saved"));
        using var first = dir.Load("last");
        using var second = dir.Load("last");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var source = tensor(new long[] { 5, 6, 7, 8 }).unsqueeze(0);
        var target = tensor(new long[] { 1, 9, 10 }).unsqueeze(0);
        Assert.True(first.Model.Forward(source, target).eq(second.Model.Forward(source, target)).all().item<bool>());
        Assert.Equal("the green cat", first.Tokenizer.Decode(first.Tokenizer.Encode("the green cat")));
    }

    [Fact]
    public void ValidationReportsPlainNllNotSmoothedLoss()
    {
        // fp32, so that validation's arithmetic is the reference's below (bf16 validation: Bf16ValidationAgreesWithFp32).
        var request = Request("smoothed", 3) with { Options = Request("x", 3).Options with { LabelSmoothing = 0.3 }, Settings = new RunSettings(Precision: "fp32") };
        var result = Trainer.Run(request, TextWriter.Null);
        var dir = new ModelDirectory(request.OutDir);
        using var loaded = dir.Load("last");
        var dev = ParallelCorpus.Read(request.Dev!).Select(p => new EncodedPair(loaded.Tokenizer.Encode(p.Source), loaded.Tokenizer.Encode(p.Target))).ToList();

        // Written out here, one sentence at a time without padding: −log softmax(logits)[gold] in doubles for every
        // target token and EOS, and the label-smoothed loss the run trained on (α = 0.3, the α/V-over-all-tokens form).
        double nll = 0, smoothed = 0;
        long tokens = 0;
        using (no_grad())
            foreach (var pair in dev)
            {
                using var scope = NewDisposeScope();
                long[] targetIn = [SpecialTokens.Bos, .. pair.Target.Select(i => (long)i)];
                int[] gold = [.. pair.Target, SpecialTokens.Eos];
                var logits = loaded.Model.Forward(tensor(pair.Source.Select(i => (long)i).ToArray()).unsqueeze(0), tensor(targetIn).unsqueeze(0)).squeeze(0);
                int vocab = (int)logits.shape[1];
                var values = logits.to(ScalarType.Float64).data<double>().ToArray();
                for (int t = 0; t < gold.Length; t++)
                {
                    var row = values.AsSpan(t * vocab, vocab);
                    double max = double.NegativeInfinity, sum = 0, all = 0;
                    foreach (var v in row) max = Math.Max(max, v);
                    foreach (var v in row) sum += Math.Exp(v - max);
                    double logZ = max + Math.Log(sum);
                    foreach (var v in row) all += logZ - v;
                    nll += logZ - row[gold[t]];
                    smoothed += 0.7 * (logZ - row[gold[t]]) + 0.3 * all / vocab;
                    tokens++;
                }
            }
        double plain = nll / tokens;
        Assert.Equal(plain, result.LastValidation!.Nll, 4);
        Assert.Equal(tokens, result.LastValidation.Tokens);
        // The smoothed loss is far from it: the check above tells the two apart.
        Assert.True(smoothed / tokens - plain > 0.1, $"smoothed {smoothed / tokens} vs plain {plain}: too close to tell apart");
    }

    [Fact]
    public void Bf16ValidationAgreesWithFp32()
    {
        var request = Request("bf16", 6);
        Trainer.Run(request, TextWriter.Null);
        using var loaded = new ModelDirectory(request.OutDir).Load("last");
        var dev = ParallelCorpus.Read(request.Dev!).Select(p => new EncodedPair(loaded.Tokenizer.Encode(p.Source), loaded.Tokenizer.Encode(p.Target))).ToList();
        TeacherForcedScores In(Precision precision)
        {
            using var scope = loaded.Model.InPrecision(precision);
            return TeacherForcing.Score(loaded.Model, dev, maxTokens: 256);
        }
        var (fp32, bf16) = (In(Precision.Fp32), In(Precision.Bf16));
        Assert.Equal(fp32.Tokens, bf16.Tokens);
        Assert.NotEqual(fp32.NllSum, bf16.NllSum); // bf16 products did run
        Assert.True(Math.Abs(fp32.Nll - bf16.Nll) < 0.002, $"dev NLL {bf16.Nll} in bf16 against {fp32.Nll} in fp32");
    }

    [Fact]
    public void RerunningTheSameCommandContinuesTheRunAndEqualsTheUninterruptedOne()
    {
        Trainer.Run(Request("straight", 6), TextWriter.Null);
        Trainer.Run(Request("rerun", 3), TextWriter.Null);
        var log = new StringWriter();
        var continued = Trainer.Run(Request("rerun", 6), log); // no --resume: the same command, a larger budget
        Assert.Contains("resumed at step 3", log.ToString());
        Assert.Equal(6, continued.Progress.Step);
        var straight = new ModelDirectory(Path.Combine(Root, "straight"));
        var rerun = new ModelDirectory(Path.Combine(Root, "rerun"));
        Assert.Equal(Weights(straight.LastCheckpoint, straight.ReadConfig()), Weights(rerun.LastCheckpoint, rerun.ReadConfig()));
    }

    [Fact]
    public void AnotherRecipeIsRefusedWithTheDifferingFieldsAndOverwriteStartsOver()
    {
        Trainer.Run(Request("once", 1), TextWriter.Null);
        var other = Request("once", 1) with { Options = Request("once", 1).Options with { LearningRate = 5e-4, LabelSmoothing = 0.1 } };
        var refused = Assert.Throws<InputError>(() => Trainer.Run(other, TextWriter.Null));
        Assert.Contains("holds a model trained with other options", refused.Message);
        Assert.Contains("learning_rate: 0.001 → 0.0005", refused.Message);
        Assert.Contains("label_smoothing: 0 → 0.1", refused.Message);
        Assert.DoesNotContain("max_steps", refused.Message); // the budget may change

        var log = new StringWriter();
        var overwritten = Trainer.Run(other with { Overwrite = true }, log);
        Assert.Contains("--overwrite: starting", log.ToString());
        Assert.Equal(1, overwritten.Progress.Step);
        Assert.Equal(0.1, new ModelDirectory(other.OutDir).ReadConfig().Training.LabelSmoothing);
    }

    [Fact]
    public void RunSettingsLiveBesideTheRecipeAndMayChangeWhenARunContinues()
    {
        Trainer.Run(Request("settings", 2) with { Settings = new RunSettings(Threads: 1, Precision: "fp32") }, TextWriter.Null);
        var dir = new ModelDirectory(Path.Combine(Root, "settings"));
        var training = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.ConfigFile))!["training"]!.AsObject();
        foreach (var setting in new[] { "device", "threads", "precision" }) Assert.False(training.ContainsKey(setting), setting);
        Assert.Equal(new RunSettings("cpu", 1, "fp32"), dir.ReadRunSettings());

        // Another thread count and precision is the same recipe: the run continues and run.json says what it ran with now.
        var log = new StringWriter();
        var continued = Trainer.Run(Request("settings", 4) with { Settings = new RunSettings(Threads: 2, Precision: "bf16") }, log);
        Assert.Contains("resumed at step 2", log.ToString());
        Assert.Equal(4, continued.Progress.Step);
        Assert.Equal(new RunSettings("cpu", 2, "bf16"), dir.ReadRunSettings());
    }

    [Fact]
    public void AModelTrainedBeforeRunJsonKeepsLoadingAndContinuing()
    {
        // config.json as runs wrote it before run.json: camelCase, run settings among the training options.
        Trainer.Run(Request("older", 2), TextWriter.Null);
        var dir = new ModelDirectory(Path.Combine(Root, "older"));
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.ConfigFile))!;
        var training = config["training"]!.AsObject();
        training["threads"] = 0;
        training["device"] = "cpu";
        training["precision"] = "bf16";
        File.WriteAllText(dir.ConfigFile, config.ToJsonString());
        File.Delete(dir.RunSettingsFile);

        Assert.Equal("bf16", dir.ReadRunSettings().Precision);
        using (dir.Load("last")) { }
        Assert.Equal(4, Trainer.Run(Request("older", 4), TextWriter.Null).Progress.Step);
    }

    [Fact]
    public void LanguagesAreRecordedButAreNotPartOfTheRecipe()
    {
        Trainer.Run(Request("langs", 1) with { Languages = "en-de" }, TextWriter.Null);
        var dir = new ModelDirectory(Path.Combine(Root, "langs"));
        Assert.Equal("en-de", dir.ReadConfig().Languages);
        Assert.Equal(2, Trainer.Run(Request("langs", 2), TextWriter.Null).Progress.Step); // continued, not refused
        Assert.Equal("en-de", dir.ReadConfig().Languages);
    }

    [Fact]
    public void EveryValidationLineNamesTheMetricBestIsJudgedBy()
    {
        Trainer.Run(Request("best-by", 3), TextWriter.Null);
        var (_, validations) = TrainLog.Read(new ModelDirectory(Path.Combine(Root, "best-by")));
        Assert.NotEmpty(validations);
        Assert.All(validations, v => Assert.Equal("dev_nll", v.BestBy));
        Assert.True(validations[0].Best);
    }

    [Fact]
    public void TheStepsOfACosineScheduleArePartOfItsRecipe()
    {
        // Every learning rate of a cosine run depends on its last step, so a rerun with another one is another recipe.
        var cosine = Request("cosine", 2) with { Options = Request("cosine", 2).Options with { LrSchedule = LearningRateSchedule.Cosine } };
        Trainer.Run(cosine, TextWriter.Null);
        var longer = cosine with { Options = cosine.Options with { MaxSteps = 4 } };
        var refused = Assert.Throws<InputError>(() => Trainer.Run(longer, TextWriter.Null));
        Assert.Contains("max_steps: 2 → 4", refused.Message);
        Assert.Equal(4, Trainer.Run(longer with { Resume = true }, TextWriter.Null).Progress.Step); // --resume: the user's call
    }

    [Fact]
    public void ADirectoryKilledBeforeItsFirstCheckpointStartsOver()
    {
        // What a kill during BPE learning can leave: a config, half a vocabulary, a temp file; no checkpoint.
        var killed = Path.Combine(Root, "killed");
        Directory.CreateDirectory(killed);
        File.WriteAllText(Path.Combine(killed, "config.json"), "{ \"format\": \"lstranslate-mo");
        File.WriteAllText(Path.Combine(killed, "vocab.json"), "{ \"a\": 1");
        File.WriteAllText(Path.Combine(killed, "checkpoint.last.tmp-4242"), "partial");
        File.WriteAllText(Path.Combine(killed, "notes.txt"), "the user's own file");
        foreach (var resume in new[] { false, true })
        {
            var log = new StringWriter();
            var result = Trainer.Run(Request("killed", 2, resume) with { Overwrite = false }, log);
            if (!resume) Assert.Contains("holds no checkpoint yet", log.ToString());
            Assert.Equal(2, result.Progress.Step);
            Assert.False(File.Exists(Path.Combine(killed, "checkpoint.last.tmp-4242")));
            Assert.True(File.Exists(Path.Combine(killed, "notes.txt")));
            File.Delete(Path.Combine(killed, "checkpoint.last")); // once more, as if killed again before a checkpoint
        }
    }

    [Fact]
    public void MissingTrainingFileIsNamed()
    {
        var request = Request("missing", 1) with { Train = CorpusSource.FromTsv(Path.Combine(Root, "nope.tsv")) };
        var error = Assert.Throws<InputError>(() => Trainer.Run(request, TextWriter.Null));
        Assert.Contains("nope.tsv", error.Message);
    }
}
