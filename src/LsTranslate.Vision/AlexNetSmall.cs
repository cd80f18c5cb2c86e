using LsTranslate.Model;
using LsTranslate.Model.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LsTranslate.Vision;

/// <summary>
/// The small AlexNet-style network of the TensorFlow CIFAR tutorial (used by Müller et al. for their
/// CIFAR-10 projections): two 5×5 convolutions with 64 channels, each followed by 3×3/2 max pooling
/// (28 → 14 → 7), then fully connected layers of 384 and 192 units; the 192 units are the penultimate layer.
/// </summary>
public sealed class AlexNetSmall : ImageClassifier
{
    readonly Sequential features;
    readonly Linear head;

    public AlexNetSmall(int inputChannels, int classes, int height = 28, int width = 28) : base("alexnet")
    {
        int pooledHeight = (height + 3) / 4, pooledWidth = (width + 3) / 4;
        features = Sequential(
            new Conv2dLayer(inputChannels, 64, 5, Matmul, padding: 2), ReLU(), MaxPool2d(3, 2, 1),
            new Conv2dLayer(64, 64, 5, Matmul, padding: 2), ReLU(), MaxPool2d(3, 2, 1),
            Flatten(),
            new Projection(64 * pooledHeight * pooledWidth, 384, Matmul), ReLU(),
            new Projection(384, 192, Matmul), ReLU());
        head = Linear(192, classes);
        RegisterComponents();
    }

    public override Linear Head => head;

    protected override Tensor ExtractFeatures(Tensor images) => features.forward(images);
}
