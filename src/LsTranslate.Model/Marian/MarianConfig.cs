using System.Text.Json.Nodes;
using LsTranslate.Model.Transformer;

namespace LsTranslate.Model.Marian;

/// <summary>
/// The fields of a Hugging Face MarianMT config.json that decide what the model computes, with MarianConfig's defaults
/// where a field is absent (as transformers reads it). Fields left over from BART (normalize_before,
/// add_final_layer_norm, …) are ignored, as Hugging Face ignores them; what we cannot compute is refused.
/// </summary>
public sealed record MarianConfig
{
    public required int VocabSize { get; init; }
    public required int DecoderVocabSize { get; init; }
    public required bool SharedEmbeddings { get; init; }
    public required int ModelDim { get; init; }
    public required int EncoderLayers { get; init; }
    public required int DecoderLayers { get; init; }
    public required int Heads { get; init; }
    public required int FeedForwardDim { get; init; }
    public required FeedForwardActivation Activation { get; init; }
    public required bool ScaleEmbedding { get; init; }
    public required int MaxPositions { get; init; }
    public required double Dropout { get; init; }
    public required double AttentionDropout { get; init; }
    public required double ActivationDropout { get; init; }
    public required int PadTokenId { get; init; }
    public required int EosTokenId { get; init; }
    public required int DecoderStartTokenId { get; init; }
    public required bool TieWordEmbeddings { get; init; }

    public static MarianConfig Read(string path)
    {
        var json = ReadObject(path);
        string type = json["model_type"]?.GetValue<string>() ?? "(none)";
        if (type != "marian")
            throw InputError.At(path, 0, $"a config of model type '{type}': only Hugging Face MarianMT models (model_type: marian) can be imported");
        int Int(string key, int fallback) => Field(path, json, key, node => node.GetValue<int>(), fallback);
        double Double(string key, double fallback) => Field(path, json, key, node => node.GetValue<double>(), fallback);
        bool Bool(string key, bool fallback) => Field(path, json, key, node => node.GetValue<bool>(), fallback);
        int SameBothSides(string encoderKey, string decoderKey, int fallback)
        {
            int encoder = Int(encoderKey, fallback), decoder = Int(decoderKey, fallback);
            if (encoder != decoder) throw InputError.At(path, 0, $"{encoderKey} {encoder} differs from {decoderKey} {decoder}: not supported (one value for both sides)");
            return encoder;
        }
        int vocab = Int("vocab_size", 58101);
        var config = new MarianConfig
        {
            VocabSize = vocab,
            DecoderVocabSize = json["decoder_vocab_size"] is null ? vocab : Int("decoder_vocab_size", vocab),
            SharedEmbeddings = Bool("share_encoder_decoder_embeddings", true),
            ModelDim = Int("d_model", 1024),
            EncoderLayers = Int("encoder_layers", 12),
            DecoderLayers = Int("decoder_layers", 12),
            Heads = SameBothSides("encoder_attention_heads", "decoder_attention_heads", 16),
            FeedForwardDim = SameBothSides("encoder_ffn_dim", "decoder_ffn_dim", 4096),
            Activation = Field(path, json, "activation_function", node => node.GetValue<string>(), "gelu") switch
            {
                "swish" or "silu" => FeedForwardActivation.Swish,
                "relu" => FeedForwardActivation.Relu,
                "gelu" => FeedForwardActivation.Gelu,
                var other => throw InputError.At(path, 0, $"activation_function '{other}' is not supported (swish, silu, relu or gelu)"),
            },
            ScaleEmbedding = Bool("scale_embedding", false),
            MaxPositions = Int("max_position_embeddings", 1024),
            Dropout = Double("dropout", 0.1),
            AttentionDropout = Double("attention_dropout", 0.0),
            ActivationDropout = Double("activation_dropout", 0.0),
            PadTokenId = Int("pad_token_id", 58100),
            EosTokenId = Int("eos_token_id", 0),
            DecoderStartTokenId = Int("decoder_start_token_id", 58100),
            TieWordEmbeddings = Bool("tie_word_embeddings", true),
        };
        if (config.SharedEmbeddings && config.DecoderVocabSize != config.VocabSize)
            throw InputError.At(path, 0, $"shared embeddings but vocab_size {config.VocabSize} and decoder_vocab_size {config.DecoderVocabSize} differ");
        if (config.ModelDim % config.Heads != 0)
            throw InputError.At(path, 0, $"d_model {config.ModelDim} is not divisible by {config.Heads} attention heads");
        if (config.DecoderStartTokenId != config.PadTokenId)
            throw InputError.At(path, 0, $"decoder_start_token_id {config.DecoderStartTokenId} is not the pad token {config.PadTokenId}: not supported (Marian starts the decoder from pad)");
        return config;
    }

    /// <summary>Our architecture for these weights, in our vocabulary layout (one more id than Marian's: <see cref="MarianVocabulary"/>).</summary>
    public TransformerConfig ToTransformer(MarianVocabulary source, MarianVocabulary target) => new()
    {
        VocabSize = target.Count,
        SourceVocabSize = SharedEmbeddings ? null : source.Count,
        ModelDim = ModelDim,
        EncoderLayers = EncoderLayers,
        DecoderLayers = DecoderLayers,
        Heads = Heads,
        FeedForwardDim = FeedForwardDim,
        Dropout = Dropout,
        AttentionDropout = AttentionDropout,
        ActivationDropout = ActivationDropout,
        PreNorm = false,
        MaxPositions = MaxPositions,
        Activation = Activation,
        PositionLayout = PositionLayout.Halves,
        ScaleEmbedding = ScaleEmbedding,
        OutputBias = true,
    };

    internal static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path)) throw InputError.At(path, 0, "no such file");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw InputError.At(path, 0, "not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw InputError.At(path, 0, $"not valid JSON ({e.Message})");
        }
    }

    /// <summary>A field's value (null in the file: the default, as Hugging Face treats it), or one clear error naming it.</summary>
    internal static T Field<T>(string path, JsonObject json, string key, Func<JsonNode, T> read, T fallback)
    {
        if (json[key] is not { } node) return fallback;
        try
        {
            return read(node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw InputError.At(path, 0, $"{key}: {node.ToJsonString()} is not a {typeof(T).Name.ToLowerInvariant()}");
        }
    }
}
