using LsTranslate.Model.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

sealed class EncoderLayer : nn.Module
{
    readonly MultiHeadAttention selfAttention;
    readonly FeedForward feedForward;
    readonly Residual attentionBlock, feedForwardBlock;

    public EncoderLayer(string name, TransformerConfig config, MatmulPrecision precision) : base(name)
    {
        selfAttention = new MultiHeadAttention("self_attn", config.ModelDim, config.Heads, config.AttentionDropout, precision);
        feedForward = new FeedForward("ffn", config.ModelDim, config.FeedForwardDim, config.ActivationDropout ?? config.Dropout, config.Activation, precision);
        attentionBlock = new Residual("self_attn_block", config.ModelDim, config.Dropout, config.PreNorm);
        feedForwardBlock = new Residual("ffn_block", config.ModelDim, config.Dropout, config.PreNorm);
        RegisterComponents();
    }

    /// <param name="sourceMask">[B, 1, 1, S] boolean, true at real source tokens.</param>
    public Tensor Forward(Tensor x, Tensor sourceMask)
    {
        x = attentionBlock.Apply(x, h => selfAttention.Forward(h, h, sourceMask));
        return feedForwardBlock.Apply(x, feedForward.forward);
    }
}
