using TorchSharp;
using LsTranslate.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// One residual sublayer with its layer norm, placed before (pre-norm) or after (post-norm) the sublayer;
/// keeping the choice here means the layers are written once for both.
/// </summary>
sealed class Residual : nn.Module
{
    readonly LayerNorm norm;
    readonly PackedDropout dropout;
    readonly bool preNorm;

    public Residual(string name, int dim, double dropout, bool preNorm) : base(name)
    {
        norm = nn.LayerNorm(dim);
        this.dropout = new PackedDropout(dropout);
        this.preNorm = preNorm;
        RegisterComponents();
    }

    public Tensor Apply(Tensor x, Func<Tensor, Tensor> sublayer) => preNorm
        ? x + dropout.forward(sublayer(norm.forward(x)))
        : norm.forward(x + dropout.forward(sublayer(x)));
}
