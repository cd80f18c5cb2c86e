using LsTranslate.Model.Layers;
using LsTranslate.Model.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// Encoder–decoder transformer, batch-first, with one embedding table shared by source, target and the
/// output projection (joint vocabulary), sinusoidal positions, and a decoder that also runs one step at
/// a time over a key/value cache.
/// </summary>
public sealed class Seq2SeqTransformer : nn.Module, IIncrementalSeq2Seq
{
    readonly Embedding embedding;
    // Embedding.weight wraps the native tensor anew on every read: one wrapper, taken once, is the tied output weight
    // (the same tensor, wherever the module moves), so its per-precision copies are found again. Taken after
    // RegisterComponents, which would otherwise register the field as a second parameter.
    readonly Parameter tiedWeight;
    readonly ModuleList<EncoderLayer> encoderLayers;
    readonly ModuleList<DecoderLayer> decoderLayers;
    readonly LayerNorm? encoderNorm, decoderNorm;
    readonly PackedDropout dropout;
    readonly Tensor positions;
    readonly double embeddingScale;
    readonly MatmulPrecision matmul = new();

    public TransformerConfig Config { get; }
    public int VocabSize => Config.VocabSize;
    public int MaxPositions => Config.MaxPositions;

    /// <summary>The type of every matrix product (a run setting: any checkpoint runs in either).</summary>
    public Precision Precision
    {
        get => matmul.Precision;
        set => matmul.Precision = value;
    }

    /// <summary>
    /// Eval mode for good: the weights are final, so products keep their weights in the product type (made once per
    /// precision) instead of casting them on every call. Never for a model that trains again.
    /// </summary>
    public void ForInference()
    {
        eval();
        matmul.KeepWeightCopies();
    }

    /// <summary>Runs in <paramref name="precision"/> until the returned scope is disposed, then in the one before.</summary>
    public IDisposable InPrecision(Precision precision) => matmul.Scope(precision);

    public Seq2SeqTransformer(TransformerConfig config) : base("transformer")
    {
        config.Validate();
        Config = config;
        embeddingScale = Math.Sqrt(config.ModelDim);
        embedding = nn.Embedding(config.VocabSize, config.ModelDim, padding_idx: SpecialTokens.Pad);
        nn.init.normal_(embedding.weight!, 0, Math.Pow(config.ModelDim, -0.5));
        using (no_grad()) embedding.weight![SpecialTokens.Pad].zero_();
        encoderLayers = nn.ModuleList(Enumerable.Range(0, config.EncoderLayers).Select(i => new EncoderLayer($"enc{i}", config, matmul)).ToArray());
        decoderLayers = nn.ModuleList(Enumerable.Range(0, config.DecoderLayers).Select(i => new DecoderLayer($"dec{i}", config, matmul)).ToArray());
        // Pre-norm leaves the residual stream unnormalised: a final norm on each side fixes its scale.
        if (config.PreNorm)
        {
            encoderNorm = nn.LayerNorm(config.ModelDim);
            decoderNorm = nn.LayerNorm(config.ModelDim);
        }
        dropout = new PackedDropout(config.Dropout);
        positions = SinusoidalPositions.Table(config.MaxPositions, config.ModelDim);
        register_buffer("positions", positions, persistent: false);
        RegisterComponents();
        tiedWeight = embedding.weight!;
    }

    /// <summary>[B, S] ids → boolean [B, 1, 1, S], true at real tokens (broadcast over heads and queries).</summary>
    static Tensor SourceMask(Tensor sourceIds) => sourceIds.ne(SpecialTokens.Pad).unsqueeze(1).unsqueeze(1);

    Tensor Embed(Tensor ids, int offset)
    {
        long length = ids.shape[1];
        if (offset + length > Config.MaxPositions)
            throw new InputError($"sequence of {offset + length} tokens exceeds the model's {Config.MaxPositions} positions");
        var x = embedding.forward(ids) * embeddingScale + positions.narrow(0, offset, length);
        return dropout.forward(x);
    }

    Tensor Encode(Tensor sourceIds, Tensor sourceMask)
    {
        var x = Embed(sourceIds, 0);
        foreach (var layer in encoderLayers) x = layer.Forward(x, sourceMask);
        return encoderNorm?.forward(x) ?? x;
    }

    /// <summary>The output projection's weight: the embedding table, tied.</summary>
    public Tensor OutputWeight => tiedWeight;

    /// <summary>The tied output projection of decoder features [.., D]; logits come back float32 so log-softmax and the loss stay float32.</summary>
    public Tensor OutputLogits(Tensor features)
    {
        var logits = matmul.Linear(features, tiedWeight, null);
        return logits.dtype == ScalarType.Float32 ? logits : logits.to(ScalarType.Float32);
    }

    /// <summary>
    /// Teacher-forced decoder features [B, T, D] for target inputs [B, T] (BOS + target, padded): what the output
    /// projection (<see cref="OutputWeight"/>) turns into logits. Training takes these, so that its loss never holds
    /// the whole [B, T, V] logits.
    /// </summary>
    public Tensor Features(Tensor sourceIds, Tensor targetInputIds)
    {
        var sourceMask = SourceMask(sourceIds);
        var memory = Encode(sourceIds, sourceMask);
        var x = Embed(targetInputIds, 0);
        foreach (var layer in decoderLayers) x = layer.Forward(x, memory, sourceMask);
        return DecoderOutput(x);
    }

    /// <summary>Pre-norm's final decoder norm (post-norm has none): what the output projection reads.</summary>
    Tensor DecoderOutput(Tensor x) => decoderNorm?.forward(x) ?? x;

    /// <summary>Teacher-forced logits [B, T, V] for target inputs [B, T] (BOS + target, padded).</summary>
    public Tensor Forward(Tensor sourceIds, Tensor targetInputIds) => OutputLogits(Features(sourceIds, targetInputIds));

    public IDecoderState Encode(Tensor sourceIds)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sourceMask = SourceMask(sourceIds);
        var memory = Encode(sourceIds, sourceMask);
        var caches = decoderLayers.Select(layer =>
        {
            var (keys, values) = layer.ProjectMemory(memory);
            return new LayerCache(keys, values);
        }).ToList();
        return new TransformerDecoderState(sourceMask, caches);
    }

    public Tensor Step(Tensor previousTokens, IDecoderState state)
    {
        using var noGrad = no_grad();
        var decoderState = state as TransformerDecoderState
            ?? throw new ArgumentException("state was not made by this model's Encode", nameof(state));
        var x = Embed(previousTokens.unsqueeze(1), decoderState.Length);
        for (int i = 0; i < decoderLayers.Count; i++)
            x = decoderLayers[i].Step(x, decoderState.Layers[i], decoderState.SourceMask, decoderState.Group);
        decoderState.Length++;
        return OutputLogits(DecoderOutput(x)).squeeze(1);
    }
}
