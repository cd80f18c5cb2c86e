using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using TorchSharp;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Marian;

/// <summary>
/// `lstranslate import marian`: a Hugging Face MarianMT directory (config.json, weights, source.spm/target.spm,
/// vocab.json, tokenizer_config.json, generation_config.json) made into one of our model directories. Everything is read
/// and checked before anything is written.
/// </summary>
public static class MarianImport
{
    public const string ConfigFile = "config.json";

    public static ModelDirectory Run(string dir, string outDir, bool overwrite, TextWriter log)
    {
        if (!Directory.Exists(dir)) throw InputError.At(dir, 0, "no such directory");
        string configPath = Path.Combine(dir, ConfigFile);
        var config = MarianConfig.Read(configPath);
        var weightsPath = MarianWeights.Find(dir);
        var generation = MarianGeneration.Read(dir, configPath);
        if (!MarianTokenizer.IsIn(dir))
            throw InputError.At(dir, 0, $"no Marian tokenizer here (expected {MarianTokenizer.SourceModelFile} and {MarianTokenizer.VocabFile})");
        var tokenizer = new MarianTokenizer(dir);
        var (source, target) = (tokenizer.SourceVocabulary, tokenizer.TargetVocabulary);
        if (source.MarianCount != config.VocabSize)
            throw InputError.At(configPath, 0, $"vocab_size {config.VocabSize} but {MarianTokenizer.VocabFile} has {source.MarianCount} pieces");
        if (target.MarianCount != config.DecoderVocabSize)
            throw InputError.At(configPath, 0, $"decoder_vocab_size {config.DecoderVocabSize} but the target vocabulary has {target.MarianCount} pieces");
        if (config.PadTokenId != target.PadId)
            throw InputError.At(configPath, 0, $"pad_token_id {config.PadTokenId} is not the vocabulary's pad piece (id {target.PadId})");
        if (config.EosTokenId != target.EosId)
            throw InputError.At(configPath, 0, $"eos_token_id {config.EosTokenId} is not the vocabulary's eos piece (id {target.EosId})");

        var architecture = config.ToTransformer(source, target);
        using var model = new Seq2SeqTransformer(architecture);
        using (var scope = torch.NewDisposeScope())
        {
            var weights = MarianWeights.ToOurs(MarianWeights.Read(weightsPath), config, source, target, weightsPath);
            IO.WeightsTable.RequireFit(weightsPath, weights.Select(w => new IO.StoredTensor(w.Key, w.Value.dtype, w.Value.shape)).ToList(), model, "weights");
            using (torch.no_grad()) model.load_state_dict(weights, strict: true);
        }
        var modelConfig = new ModelConfig
        {
            Model = architecture,
            Tokenizer = "marian",
            Training = new TrainOptions(),
            TrainData = $"imported from {Path.GetFullPath(dir)} (Hugging Face MarianMT)",
            Languages = tokenizer.Languages,
            Generation = generation,
        };
        return ModelDirectory.Create(outDir, modelConfig, SubwordTokenizers.FilesIn(dir), model, overwrite, log);
    }
}
