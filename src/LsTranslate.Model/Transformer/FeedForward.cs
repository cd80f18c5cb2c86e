using LsTranslate.Model.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>Position-wise feed-forward block: inner projection, activation, dropout, outer projection.</summary>
sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    readonly Projection inner, outer;
    readonly PackedDropout dropout;
    readonly Func<Tensor, Tensor> activation;

    public FeedForward(string name, int dim, int hidden, double dropout, FeedForwardActivation activation, MatmulPrecision precision) : base(name)
    {
        this.activation = activation switch
        {
            FeedForwardActivation.Swish => x => nn.functional.silu(x),
            FeedForwardActivation.Gelu => x => nn.functional.gelu(x),
            _ => x => nn.functional.relu(x),
        };
        inner = new Projection(dim, hidden, precision);
        outer = new Projection(hidden, dim, precision);
        this.dropout = new PackedDropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => outer.forward(dropout.forward(activation(inner.forward(x))));
}
