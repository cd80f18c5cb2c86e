using LsTranslate.Model;
using LsTranslate.Model.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LsTranslate.Vision;

/// <summary>
/// The CIFAR ResNet of He et al. (2016, §4.2) sized for 28×28 grey images: a 3×3 stem with 16 channels,
/// three stages of n basic blocks with 16, 32, 64 channels (stride 2 between stages: 28 → 14 → 7),
/// global average pooling, then the linear head. Depth = 6n + 2 (resnet20: n = 3, resnet56: n = 9).
/// Where a stage changes shape, the shortcut is a 1×1 convolution with batch norm (option B).
/// </summary>
public sealed class ResNet : ImageClassifier
{
    readonly Sequential stem;
    readonly Sequential stages;
    readonly Linear head;

    public ResNet(int depth, int inputChannels, int classes) : base($"resnet{depth}")
    {
        if (depth < 8 || (depth - 2) % 6 != 0) throw new ArgumentException($"ResNet depth must be 6n+2 with n ≥ 1, got {depth}");
        int blocksPerStage = (depth - 2) / 6;
        stem = Sequential(new Conv2dLayer(inputChannels, 16, 3, Matmul, padding: 1, bias: false), BatchNorm2d(16), ReLU());
        var blocks = new List<Module<Tensor, Tensor>>();
        int channels = 16;
        foreach (var (width, stride) in new[] { (16, 1), (32, 2), (64, 2) })
            for (int b = 0; b < blocksPerStage; b++)
            {
                blocks.Add(new BasicBlock(channels, width, b == 0 ? stride : 1, Matmul));
                channels = width;
            }
        stages = Sequential(blocks);
        head = Linear(64, classes);
        RegisterComponents();
    }

    public override Linear Head => head;

    protected override Tensor ExtractFeatures(Tensor images) =>
        functional.adaptive_avg_pool2d(stages.forward(stem.forward(images)), 1).flatten(1);

    sealed class BasicBlock : Module<Tensor, Tensor>
    {
        readonly Sequential residual;
        readonly Module<Tensor, Tensor> shortcut;

        public BasicBlock(int input, int output, int stride, MatmulPrecision precision) : base("block")
        {
            residual = Sequential(
                new Conv2dLayer(input, output, 3, precision, stride: stride, padding: 1, bias: false), BatchNorm2d(output), ReLU(),
                new Conv2dLayer(output, output, 3, precision, padding: 1, bias: false), BatchNorm2d(output));
            shortcut = stride == 1 && input == output
                ? Identity()
                : Sequential(new Conv2dLayer(input, output, 1, precision, stride: stride, bias: false), BatchNorm2d(output));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => functional.relu(residual.forward(x) + shortcut.forward(x));
    }
}
