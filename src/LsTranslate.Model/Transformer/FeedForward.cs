using LsTranslate.Model.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>Position-wise ReLU feed-forward block.</summary>
sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    readonly Projection inner, outer;
    readonly PackedDropout dropout;

    public FeedForward(string name, int dim, int hidden, double dropout, MatmulPrecision precision) : base(name)
    {
        inner = new Projection(dim, hidden, precision);
        outer = new Projection(hidden, dim, precision);
        this.dropout = new PackedDropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => outer.forward(dropout.forward(nn.functional.relu(inner.forward(x))));
}
