using LsTranslate.Model.Transformer;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.ModelFiles;

/// <summary>A model read from its directory for inference: the network, its tokenizer and config, and where it came from.</summary>
public sealed record LoadedModel(Seq2SeqTransformer Model, ISubwordTokenizer Tokenizer, ModelConfig Config, ModelDirectory Directory) : IDisposable
{
    public void Dispose() => Model.Dispose();

    /// <summary>Refuses models that cannot be combined into an ensemble: one vocabulary, and the same tokenizer behind it.</summary>
    public static void RequireSharedVocabulary(IReadOnlyList<LoadedModel> models)
    {
        var first = models[0];
        foreach (var other in models.Skip(1))
            if (other.Config.Model.VocabSize != first.Config.Model.VocabSize || !SubwordTokenizers.SameIn(first.Directory.Path, other.Directory.Path))
                throw InputError.At(other.Directory.Path, 0, $"its vocabulary differs from {first.Directory.Path}: an ensemble needs one shared vocabulary");
    }
}
