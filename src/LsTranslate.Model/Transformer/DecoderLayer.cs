using LsTranslate.Model.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

sealed class DecoderLayer : nn.Module
{
    readonly MultiHeadAttention selfAttention, crossAttention;
    readonly FeedForward feedForward;
    readonly Residual selfBlock, crossBlock, feedForwardBlock;

    public DecoderLayer(string name, TransformerConfig config, MatmulPrecision precision) : base(name)
    {
        selfAttention = new MultiHeadAttention("self_attn", config.ModelDim, config.Heads, config.AttentionDropout, precision);
        crossAttention = new MultiHeadAttention("cross_attn", config.ModelDim, config.Heads, config.AttentionDropout, precision);
        feedForward = new FeedForward("ffn", config.ModelDim, config.FeedForwardDim, config.ActivationDropout ?? config.Dropout, config.Activation, precision);
        selfBlock = new Residual("self_attn_block", config.ModelDim, config.Dropout, config.PreNorm);
        crossBlock = new Residual("cross_attn_block", config.ModelDim, config.Dropout, config.PreNorm);
        feedForwardBlock = new Residual("ffn_block", config.ModelDim, config.Dropout, config.PreNorm);
        RegisterComponents();
    }

    /// <summary>Whole target sequence at once (training, scoring): causal self-attention.</summary>
    public Tensor Forward(Tensor x, Tensor memory, Tensor sourceMask)
    {
        x = selfBlock.Apply(x, h => selfAttention.Forward(h, h, null, causal: true));
        x = crossBlock.Apply(x, h => crossAttention.Forward(h, memory, sourceMask));
        return feedForwardBlock.Apply(x, feedForward.forward);
    }

    public (Tensor Keys, Tensor Values) ProjectMemory(Tensor memory) =>
        (crossAttention.ProjectKey(memory), crossAttention.ProjectValue(memory));

    /// <summary>
    /// One new position per row ([rows, 1, D]): its key/value are appended to the layer's cache, and it attends to all
    /// cached positions in the cache's type (no mask needed: every cached position precedes it). Each run of <paramref name="group"/>
    /// rows shares one source side: their queries meet its encoder keys/values in one product.
    /// </summary>
    public Tensor Step(Tensor x, LayerCache cache, Tensor sourceMask, int group)
    {
        x = selfBlock.Apply(x, h =>
        {
            cache.Append(selfAttention.ProjectKey(h), selfAttention.ProjectValue(h));
            return selfAttention.Attend(selfAttention.ProjectQuery(h).to(LayerCache.PrefixType), cache.Keys!, cache.Values!, null);
        });
        x = crossBlock.Apply(x, h =>
        {
            var queries = h.view(-1, group, h.shape[2]); // [sources, group, D]: a sentence's rows as its queries
            return crossAttention.Attend(crossAttention.ProjectQuery(queries), cache.MemoryKeys, cache.MemoryValues, sourceMask).view(h.shape);
        });
        return feedForwardBlock.Apply(x, feedForward.forward);
    }
}
