using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Layers;

/// <summary>
/// A linear layer whose product runs in the model's matmul precision. The float32 weight is the master
/// copy (the optimizer updates it; gradients flow back through the cast); in bf16 the output stays bf16
/// until it meets the float32 residual stream. Parameter names and initialisation are nn.Linear's, so
/// checkpoints are the same either way.
/// </summary>
sealed class Projection : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight, bias;
    readonly MatmulPrecision precision;

    public Projection(int inputs, int outputs, MatmulPrecision precision) : base("projection")
    {
        weight = new Parameter(empty(outputs, inputs));
        bias = new Parameter(empty(outputs));
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            double bound = 1 / Math.Sqrt(inputs);
            nn.init.uniform_(bias, -bound, bound);
        }
        this.precision = precision;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => precision.Linear(x, weight, bias);
}
