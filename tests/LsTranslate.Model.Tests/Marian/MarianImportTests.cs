using LsTranslate.Model.Marian;
using LsTranslate.Model.Training;
using LsTranslate.Tests;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Model.Tests.Marian;

/// <summary>An imported MarianMT model's teacher-forced logits against the reference's (<see cref="MarianFixtures"/>), fp32.</summary>
public class MarianImportTests : TempFolderTest
{
    public static TheoryData<string> Models => new(MarianFixtures.Models);

    [Theory]
    [MemberData(nameof(Models))]
    public void LogitsAreHuggingFacesWithin1e4(string model)
    {
        var dir = MarianImport.Run(MarianFixtures.Model(model), Path.Combine(Root, model), overwrite: false, TextWriter.Null);
        using var loaded = dir.Load();
        var tokenizer = (MarianTokenizer)loaded.Tokenizer;
        var (source, target) = (tokenizer.SourceVocabulary, tokenizer.TargetVocabulary);
        var expected = MarianFixtures.Expected(model);
        var sourceIds = expected.GetProperty("source_ids").EnumerateArray().ToList();
        double worst = 0;
        int compared = 0;
        foreach (var check in expected.GetProperty("logits").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            int line = check.GetProperty("line").GetInt32();
            // Marian ids → ours; from index 1 on, so that Marian's pad (the decoder's start) is our BOS.
            var src = MarianFixtures.Ints(sourceIds[line]).Select(m => (long)Array.IndexOf(source.MarianIds, m, 1)).ToArray();
            var tgt = MarianFixtures.Ints(check.GetProperty("decoder_input_ids")).Select(m => (long)Array.IndexOf(target.MarianIds, m, 1)).ToArray();
            Assert.DoesNotContain(-1L, src.Concat(tgt));
            var logits = loaded.Model.Forward(tensor(src).unsqueeze(0), tensor(tgt).unsqueeze(0))[0]; // [T, V+1]
            var columns = MarianFixtures.Ints(check.GetProperty("columns")).Select(m => (long)Array.IndexOf(target.MarianIds, m, 1)).ToArray();
            var ours = logits.index_select(1, tensor(columns));
            var values = check.GetProperty("values").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
            var theirs = tensor(values.SelectMany(v => v).ToArray(), [values.Length, columns.Length]);
            // Hugging Face's log-sum-exp runs over Marian's vocabulary: ours without our PAD column (a second copy of pad's row).
            var lse = logits.narrow(1, 1, logits.shape[1] - 1).logsumexp(1);
            var theirLse = tensor(check.GetProperty("logsumexp").EnumerateArray().Select(v => v.GetSingle()).ToArray());
            worst = Math.Max(worst, Math.Max((ours - theirs).abs().max().item<float>(), (lse - theirLse).abs().max().item<float>()));
            compared += values.Length;
        }
        Assert.True(compared > 0);
        Assert.True(worst < 1e-4, $"largest logit difference {worst:g3} over {compared} positions");
    }

    [Fact]
    public void ImportedModelsKeepTheirGenerationDefaults()
    {
        var dir = MarianImport.Run(MarianFixtures.Model("separate-swish"), Path.Combine(Root, "m"), overwrite: false, TextWriter.Null);
        var config = dir.ReadConfig();
        Assert.Equal(new GenerationDefaults { Beam = 4, LengthPenalty = 0.6, MaxLength = 48, Renormalize = true }, config.Generation);
        Assert.Equal(32001, config.Model.SourceVocabSize);
        Assert.Equal(30001, config.Model.VocabSize);
    }
}
