using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>Position-wise ReLU feed-forward block.</summary>
sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    readonly Linear inner, outer;
    readonly Dropout dropout;

    public FeedForward(string name, int dim, int hidden, double dropout) : base(name)
    {
        inner = nn.Linear(dim, hidden);
        outer = nn.Linear(hidden, dim);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => outer.forward(dropout.forward(nn.functional.relu(inner.forward(x))));
}
