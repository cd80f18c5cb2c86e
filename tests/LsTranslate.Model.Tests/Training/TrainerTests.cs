using LsTranslate.Model.Text;
using LsTranslate.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Training;

public class TrainerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("lst-trainer-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string WriteCorpus(string name, int pairs, int seed)
    {
        var random = new Random(seed);
        string[] words = ["house", "cat", "green", "run", "file", "open", "the", "window", "small", "record"];
        string[] german = ["Haus", "Katze", "grün", "laufen", "Datei", "öffnen", "das", "Fenster", "klein", "Eintrag"];
        var lines = Enumerable.Range(0, pairs).Select(_ =>
        {
            var picks = Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.Next(words.Length)).ToArray();
            return string.Join(' ', picks.Select(i => words[i])) + "\t" + string.Join(' ', picks.Select(i => german[i]));
        });
        string path = Path.Combine(root, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    TrainRequest Request(string outDir, long maxSteps, bool resume = false) => new(
        CorpusSource.FromTsv(WriteCorpus("train.tsv", 300, 1)), CorpusSource.FromTsv(WriteCorpus("dev.tsv", 40, 2)),
        Path.Combine(root, outDir),
        new TrainOptions { Preset = "tiny", VocabSize = 320, MaxTokens = 256, Dropout = 0.1, MaxSteps = maxSteps, ValidateEvery = 3, LogEvery = 1, WarmupSteps = 4 },
        Resume: resume);

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
        var straight = new ModelDirectory(Path.Combine(root, "straight"));
        var interrupted = new ModelDirectory(Path.Combine(root, "interrupted"));
        Assert.Equal(Weights(straight.LastCheckpoint, straight.ReadConfig()), Weights(interrupted.LastCheckpoint, interrupted.ReadConfig()));
        Assert.Equal(File.ReadAllLines(straight.TrainLog).Length, File.ReadAllLines(interrupted.TrainLog).Length);
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        Trainer.Run(Request("saved", 3), TextWriter.Null);
        var dir = new ModelDirectory(Path.Combine(root, "saved"));
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
        var request = Request("smoothed", 3) with { Options = Request("x", 3).Options with { LabelSmoothing = 0.3 } };
        var result = Trainer.Run(request, TextWriter.Null);
        var dir = new ModelDirectory(request.OutDir);
        using var loaded = dir.Load("last");
        var dev = ParallelCorpus.Read(request.Dev!).Select(p => new EncodedPair(loaded.Tokenizer.Encode(p.Source), loaded.Tokenizer.Encode(p.Target))).ToList();
        var scores = TeacherForcing.Score(loaded.Model, dev, 256);
        Assert.Equal(scores.Nll, result.LastValidation!.Nll, 6);
    }

    [Fact]
    public void RefusesToOverwriteAModelAndToResumeANonModel()
    {
        Trainer.Run(Request("once", 1), TextWriter.Null);
        var again = Assert.Throws<InputError>(() => Trainer.Run(Request("once", 1), TextWriter.Null));
        Assert.Contains("already holds a model", again.Message);

        Directory.CreateDirectory(Path.Combine(root, "empty"));
        var notModel = Assert.Throws<InputError>(() => Trainer.Run(Request("empty", 1, resume: true), TextWriter.Null));
        Assert.Contains("not a model directory", notModel.Message);
    }

    [Fact]
    public void MissingTrainingFileIsNamed()
    {
        var request = Request("missing", 1) with { Train = CorpusSource.FromTsv(Path.Combine(root, "nope.tsv")) };
        var error = Assert.Throws<InputError>(() => Trainer.Run(request, TextWriter.Null));
        Assert.Contains("nope.tsv", error.Message);
    }
}
