using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;
using LsTranslate.Model.Corpora;

namespace LsTranslate.Cli.Tests;

/// <summary>
/// A tiny model of "file N is open" → "Datei N ist offen", trained in-process once per test class (an xunit class
/// fixture) in a folder of its own, removed after. Each fixture says how long it trains.
/// </summary>
public abstract class ToyModel : IDisposable
{
    protected ToyModel(TrainOptions budget, RunSettings settings)
    {
        Root = Directory.CreateTempSubdirectory($"lst-{GetType().Name}-").FullName;
        string train = Path.Combine(Root, "train.tsv");
        File.WriteAllLines(train, Enumerable.Range(0, 200).Select(i => $"file {i % 7} is open\tDatei {i % 7} ist offen"));
        Trainer.Run(new TrainRequest(CorpusSource.FromTsv(train), CorpusSource.FromTsv(train), Dir,
            budget with { Preset = "tiny", VocabSize = 300, MaxTokens = 256 }, settings), TextWriter.Null);
    }

    public string Root { get; }
    public string Dir => Path.Combine(Root, "model");

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
