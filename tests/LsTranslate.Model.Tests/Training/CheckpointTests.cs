using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Model.IO;
using LsTranslate.Tests;

namespace LsTranslate.Model.Tests.Training;

public class CheckpointTests : TempFolderTest
{
    string Saved(nn.Module model, bool withOptimizer)
    {
        string path = Path.Combine(Root, withOptimizer ? "with-adam" : "weights");
        using var adam = optim.Adam(model.parameters(), 1e-3);
        Checkpoint.Save(path, model, new TrainingProgress { Step = 7 }, withOptimizer ? adam : null);
        return path;
    }

    [Fact]
    public void TheWeightsTableListsEveryTensorOfTheModelAndEndsWhereTheWeightsEnd()
    {
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 300));
        string path = Saved(model, withOptimizer: false);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        reader.ReadString();
        reader.ReadString();
        reader.ReadBoolean();
        var table = WeightsTable.ReadTable(reader);
        Assert.Equal(model.state_dict().Keys.Order(), table.Select(t => t.Name).Order());
        Assert.Empty(WeightsTable.Differences(table, model));
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void ATruncatedCheckpointIsReportedAsTruncatedWithItsSize()
    {
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 300));
        string full = Saved(model, withOptimizer: true);
        long length = new FileInfo(full).Length;
        foreach (double fraction in new[] { 0.001, 0.02, 0.3, 0.6, 0.95 })
        {
            string cut = Path.Combine(Root, $"cut-{fraction}");
            File.WriteAllBytes(cut, File.ReadAllBytes(full).AsSpan(0, (int)(length * fraction)).ToArray());
            using var other = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 300));
            using var adam = optim.Adam(other.parameters(), 1e-3);
            var error = Assert.Throws<InputError>(() => Checkpoint.Load<TrainingProgress>(cut, other, adam));
            Assert.Contains(cut, error.Message);
            Assert.True(error.Message.Contains("truncated or corrupt checkpoint") || error.Message.Contains("not an lstranslate checkpoint"), error.Message);
            Assert.Contains($"{new FileInfo(cut).Length:N0} bytes", error.Message);
        }
    }

    [Fact]
    public void ACheckpointOfAnotherArchitectureNamesTheTensorsThatDiffer()
    {
        using var small = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 300));
        string path = Saved(small, withOptimizer: false);
        using var larger = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 400));
        var error = Assert.Throws<InputError>(() => Checkpoint.Load<TrainingProgress>(path, larger));
        Assert.Contains("checkpoint of another architecture", error.Message);
        Assert.Contains("[300,", error.Message);
        Assert.Contains("[400,", error.Message);

        using var foreignModel = nn.Sequential(("classifier", nn.Linear(8, 2)));
        var foreign = Assert.Throws<InputError>(() => Checkpoint.Load<TrainingProgress>(path, foreignModel));
        Assert.Contains("missing", foreign.Message);
        Assert.Contains("more", foreign.Message);
    }
}
