using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LsTranslate.Model.Layers;

/// <summary>
/// A square 2-D convolution that runs in the model's matmul precision, with fp32 master weights (the optimizer
/// updates them; gradients flow back through the cast). Parameter names and initialisation are nn.Conv2d's, so
/// checkpoints are the same either way. In bf16 the output stays bf16: batch norm takes it with fp32 weights and
/// statistics.
/// </summary>
sealed class Conv2dLayer : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;
    readonly long stride, padding;
    readonly MatmulPrecision precision;

    public Conv2dLayer(int inputs, int outputs, int kernel, MatmulPrecision precision, int stride = 1, int padding = 0, bool bias = true)
        : base("conv2d")
    {
        weight = new Parameter(empty(outputs, inputs, kernel, kernel));
        this.bias = bias ? new Parameter(empty(outputs)) : null;
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            if (this.bias is not null)
            {
                double bound = 1 / Math.Sqrt(inputs * kernel * kernel);
                nn.init.uniform_(this.bias, -bound, bound);
            }
        }
        this.stride = stride;
        this.padding = padding;
        this.precision = precision;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => F.conv2d(precision.Cast(x), precision.Weight(weight),
        bias is null ? null : precision.Weight(bias), strides: [stride, stride], padding: [padding, padding]);
}
