using LsTranslate.Model.Layers;
using LsTranslate.Model.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// Encoder–decoder transformer, batch-first, with one embedding table shared by source, target and the
/// output projection (joint vocabulary; or the source side's own table when the config gives it one),
/// sinusoidal positions, and a decoder that also runs one step at a time over a key/value cache.
/// </summary>
public sealed class Seq2SeqTransformer : nn.Module, IIncrementalSeq2Seq
{
    readonly Embedding embedding;
    readonly Embedding? sourceEmbedding;
    // Embedding.weight wraps the native tensor anew on every read: one wrapper, taken once, is the tied output weight
    // (the same tensor, wherever the module moves), so its per-precision copies are found again. Taken after
    // RegisterComponents, which would otherwise register the field as a second parameter.
    readonly Parameter tiedWeight;
    readonly Parameter? outputBias;
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

    /// <summary>What <see cref="ForInference"/> keeps: the products' copies of the weights.</summary>
    internal MatmulPrecision WeightCopies => matmul;

    /// <summary>Runs in <paramref name="precision"/> until the returned scope is disposed, then in the one before.</summary>
    public IDisposable InPrecision(Precision precision) => matmul.Scope(precision);

    public Seq2SeqTransformer(TransformerConfig config) : base("transformer")
    {
        config.Validate();
        Config = config;
        embeddingScale = config.ScaleEmbedding ? Math.Sqrt(config.ModelDim) : 1.0;
        embedding = NewEmbedding(config.VocabSize, config.ModelDim);
        if (config.SourceVocabSize is { } sourceVocab) sourceEmbedding = NewEmbedding(sourceVocab, config.ModelDim);
        if (config.OutputBias) outputBias = new Parameter(zeros(config.VocabSize));
        encoderLayers = nn.ModuleList(Enumerable.Range(0, config.EncoderLayers).Select(i => new EncoderLayer($"enc{i}", config, matmul)).ToArray());
        decoderLayers = nn.ModuleList(Enumerable.Range(0, config.DecoderLayers).Select(i => new DecoderLayer($"dec{i}", config, matmul)).ToArray());
        // Pre-norm leaves the residual stream unnormalised: a final norm on each side fixes its scale.
        if (config.PreNorm)
        {
            encoderNorm = nn.LayerNorm(config.ModelDim);
            decoderNorm = nn.LayerNorm(config.ModelDim);
        }
        dropout = new PackedDropout(config.Dropout);
        positions = SinusoidalPositions.Table(config.MaxPositions, config.ModelDim, config.PositionLayout);
        register_buffer("positions", positions, persistent: false);
        RegisterComponents();
        tiedWeight = embedding.weight!;
    }

    static Embedding NewEmbedding(int vocab, int dim)
    {
        var table = nn.Embedding(vocab, dim, padding_idx: SpecialTokens.Pad);
        nn.init.normal_(table.weight!, 0, Math.Pow(dim, -0.5));
        using (no_grad()) table.weight![SpecialTokens.Pad].zero_();
        return table;
    }

    /// <summary>[B, S] ids → boolean [B, 1, 1, S], true at real tokens (broadcast over heads and queries).</summary>
    static Tensor SourceMask(Tensor sourceIds) => sourceIds.ne(SpecialTokens.Pad).unsqueeze(1).unsqueeze(1);

    Tensor Embed(Embedding table, Tensor ids, int offset)
    {
        long length = ids.shape[1];
        if (offset + length > Config.MaxPositions)
            throw new InputError($"sequence of {offset + length} tokens exceeds the model's {Config.MaxPositions} positions");
        var tokens = table.forward(ids);
        var x = (embeddingScale == 1.0 ? tokens : tokens * embeddingScale) + positions.narrow(0, offset, length);
        return dropout.forward(x);
    }

    Tensor Encode(Tensor sourceIds, Tensor sourceMask)
    {
        var x = Embed(sourceEmbedding ?? embedding, sourceIds, 0);
        foreach (var layer in encoderLayers) x = layer.Forward(x, sourceMask);
        return encoderNorm?.forward(x) ?? x;
    }

    /// <summary>
    /// The output layer, the one place logits are made: decoder features [.., D] · Eᵀ (the target embedding table, tied)
    /// + the output bias where the model has one. Logits come back float32 so log-softmax and the loss stay float32.
    /// </summary>
    public Tensor OutputLogits(Tensor features)
    {
        var logits = matmul.Linear(features, tiedWeight, null);
        if (logits.dtype != ScalarType.Float32) logits = logits.to(ScalarType.Float32);
        return outputBias is null ? logits : logits.add_(outputBias);
    }

    /// <summary>
    /// The label-smoothed loss of the output layer over feature rows [N, D] (padding removed) with gold <paramref name="labels"/>
    /// [N], summed (float64 scalar), and its gradient divided by <paramref name="gradientDivisor"/> (the update's target tokens)
    /// accumulated into the output layer's
    /// parameters and sent back through <paramref name="rows"/> — chunked (<see cref="ChunkedSmoothedLoss"/>), so that the
    /// [N, V] logits never exist whole. What training calls instead of <see cref="OutputLogits"/>: the same layer.
    /// </summary>
    public Tensor BackwardOutputLoss(Tensor rows, Tensor labels, double labelSmoothing, double gradientDivisor)
    {
        var part = ChunkedSmoothedLoss.Compute(rows, tiedWeight, outputBias, labels, labelSmoothing, Precision.MatmulType());
        rows.backward([part.FeatureGrad.div_(gradientDivisor)]);
        AccumulateGradient(tiedWeight, part.WeightGrad.div_(gradientDivisor));
        if (outputBias is not null) AccumulateGradient(outputBias, part.BiasGrad!.div_(gradientDivisor));
        return part.LossSum;
    }

    static void AccumulateGradient(Tensor parameter, Tensor gradient)
    {
        if (parameter.grad is { } grad) grad.add_(gradient);
        else parameter.grad = gradient;
    }

    /// <summary>
    /// Teacher-forced decoder features [B, T, D] for target inputs [B, T] (BOS + target, padded): what the output
    /// layer (<see cref="OutputLogits"/>, <see cref="BackwardOutputLoss"/>) turns into logits. Training takes these, so that
    /// its loss never holds the whole [B, T, V] logits.
    /// </summary>
    public Tensor Features(Tensor sourceIds, Tensor targetInputIds)
    {
        var sourceMask = SourceMask(sourceIds);
        var memory = Encode(sourceIds, sourceMask);
        var x = Embed(embedding, targetInputIds, 0);
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
        var x = Embed(embedding, previousTokens.unsqueeze(1), decoderState.Length);
        for (int i = 0; i < decoderLayers.Count; i++)
            x = decoderLayers[i].Step(x, decoderState.Layers[i], decoderState.SourceMask, decoderState.Group);
        decoderState.Length++;
        return OutputLogits(DecoderOutput(x)).squeeze(1);
    }
}
