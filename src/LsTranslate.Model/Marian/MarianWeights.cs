using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LsTranslate.Model.Marian;

/// <summary>
/// A Hugging Face MarianMT checkpoint's tensors (model.safetensors, or pytorch_model.bin) renamed to our network's names
/// and rows reordered to our vocabulary layout (<see cref="MarianVocabulary"/>), in float32.
/// </summary>
static class MarianWeights
{
    public const string Safetensors = "model.safetensors", PyTorch = "pytorch_model.bin";
    const string LfsPointer = "version https://git-lfs.github.com/spec/v1";

    /// <summary>The weights file Hugging Face would load (safetensors first), refused with a reason when there is none it can be.</summary>
    public static string Find(string dir)
    {
        foreach (var sharded in new[] { Safetensors + ".index.json", PyTorch + ".index.json" })
            if (File.Exists(Path.Combine(dir, sharded)) && !File.Exists(Path.Combine(dir, Safetensors)) && !File.Exists(Path.Combine(dir, PyTorch)))
                throw InputError.At(Path.Combine(dir, sharded), 0, "sharded weights are not supported (one model.safetensors or pytorch_model.bin)");
        foreach (var name in new[] { Safetensors, PyTorch })
        {
            string path = Path.Combine(dir, name);
            if (!File.Exists(path)) continue;
            if (IsLfsPointer(path)) throw InputError.At(path, 0, "this is a Git LFS pointer, not the weights: fetch the real file (git lfs pull)");
            return path;
        }
        throw InputError.At(dir, 0, $"no weights here (expected {Safetensors} or {PyTorch})");
    }

    static bool IsLfsPointer(string path)
    {
        var head = new byte[LfsPointer.Length];
        using var stream = File.OpenRead(path);
        return stream.Length < 1024 && stream.Read(head) == head.Length && System.Text.Encoding.ASCII.GetString(head) == LfsPointer;
    }

    /// <summary>Every tensor of the file by name, float32.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            var tensors = Path.GetFileName(path) == Safetensors
                ? TorchSharp.PyBridge.Safetensors.LoadStateDict(path)
                : PyTorchUnpickler.UnpickleStateDict(path).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
            return tensors.ToDictionary(entry => entry.Key, entry => entry.Value.to(ScalarType.Float32));
        }
        catch (Exception e) when (e is not InputError)
        {
            throw InputError.At(path, 0, $"cannot read these weights ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    /// <summary>Our state_dict from Hugging Face's names (see modeling_marian.py); a tensor we need and cannot find is named in the error.</summary>
    public static Dictionary<string, Tensor> ToOurs(Dictionary<string, Tensor> hf, MarianConfig config, MarianVocabulary source, MarianVocabulary target, string path)
    {
        Tensor Get(params string[] names)
        {
            foreach (var name in names)
                if (hf.TryGetValue(name, out var tensor)) return tensor;
            throw InputError.At(path, 0, $"no tensor {names[0]} in these weights (is it a MarianMT checkpoint?)");
        }
        Tensor Rows(Tensor table, MarianVocabulary vocabulary, string name)
        {
            if (table.shape[0] != vocabulary.MarianCount)
                throw InputError.At(path, 0, $"{name} has {table.shape[0]} rows but the vocabulary has {vocabulary.MarianCount} pieces");
            return table.index_select(0, tensor(vocabulary.MarianIds.Select(id => (long)id).ToArray()));
        }
        var ours = new Dictionary<string, Tensor>();
        var decoderEmbedding = config.SharedEmbeddings
            ? Get("model.shared.weight", "model.decoder.embed_tokens.weight", "model.encoder.embed_tokens.weight")
            : Get("model.decoder.embed_tokens.weight");
        ours["embedding.weight"] = Rows(decoderEmbedding, target, "the decoder's embedding table");
        if (!config.SharedEmbeddings)
            ours["sourceEmbedding.weight"] = Rows(Get("model.encoder.embed_tokens.weight"), source, "model.encoder.embed_tokens.weight");
        ours["outputBias"] = Rows(Get("final_logits_bias").reshape(-1), target, "final_logits_bias");
        // Our output layer is the decoder's embedding table; an lm_head of its own can be honoured only where it is that table.
        if (hf.TryGetValue("lm_head.weight", out var head) && !config.TieWordEmbeddings && !head.allclose(decoderEmbedding, rtol: 0, atol: 0))
            throw InputError.At(path, 0, "lm_head.weight differs from the decoder's embeddings (tie_word_embeddings: false): untied output layers are not supported");

        void WeightAndBias(string ourName, string hfName)
        {
            ours[ourName + ".weight"] = Get(hfName + ".weight");
            ours[ourName + ".bias"] = Get(hfName + ".bias");
        }
        void Attention(string ourName, string hfName)
        {
            WeightAndBias(ourName + ".query", hfName + ".q_proj");
            WeightAndBias(ourName + ".key", hfName + ".k_proj");
            WeightAndBias(ourName + ".value", hfName + ".v_proj");
            WeightAndBias(ourName + ".output", hfName + ".out_proj");
        }
        void FeedForward(string ourLayer, string hfLayer)
        {
            WeightAndBias($"{ourLayer}.feedForward.inner", $"{hfLayer}.fc1");
            WeightAndBias($"{ourLayer}.feedForward.outer", $"{hfLayer}.fc2");
            WeightAndBias($"{ourLayer}.feedForwardBlock.norm", $"{hfLayer}.final_layer_norm");
        }
        for (int i = 0; i < config.EncoderLayers; i++)
        {
            string o = $"encoderLayers.{i}", h = $"model.encoder.layers.{i}";
            Attention($"{o}.selfAttention", $"{h}.self_attn");
            WeightAndBias($"{o}.attentionBlock.norm", $"{h}.self_attn_layer_norm");
            FeedForward(o, h);
        }
        for (int i = 0; i < config.DecoderLayers; i++)
        {
            string o = $"decoderLayers.{i}", h = $"model.decoder.layers.{i}";
            Attention($"{o}.selfAttention", $"{h}.self_attn");
            WeightAndBias($"{o}.selfBlock.norm", $"{h}.self_attn_layer_norm");
            Attention($"{o}.crossAttention", $"{h}.encoder_attn");
            WeightAndBias($"{o}.crossBlock.norm", $"{h}.encoder_attn_layer_norm");
            FeedForward(o, h);
        }
        return ours;
    }
}
