using LsTranslate.Model;
using LsTranslate.Model.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Vision;

/// <summary>
/// A classifier split the way the paper looks at it: a feature extractor giving the penultimate
/// activations, then one linear layer whose weight rows are the class templates.
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>Shared by the feature extractor's convolutions and linear layers.</summary>
    private protected readonly MatmulPrecision Matmul = new();

    protected ImageClassifier(string name) : base(name) { }

    /// <summary>
    /// The type of the feature extractor's convolutions and linear layers (a run setting: any checkpoint runs in
    /// either). The head always runs in fp32: it is a negligible share of the work and its logits feed the loss.
    /// </summary>
    public Precision Precision
    {
        get => Matmul.Precision;
        set => Matmul.Precision = value;
    }

    /// <summary>Runs in <paramref name="precision"/> until the returned scope is disposed, then in the one before.</summary>
    public IDisposable InPrecision(Precision precision) => Matmul.Scope(precision);

    /// <summary>The last layer; its weight [K,D] holds one template per class.</summary>
    public abstract Linear Head { get; }

    /// <summary>Penultimate activations [B,D] (float32) for images [B,C,H,W].</summary>
    public Tensor Features(Tensor images) => ExtractFeatures(images).to(ScalarType.Float32);

    /// <summary>Penultimate activations in the matmul precision.</summary>
    protected abstract Tensor ExtractFeatures(Tensor images);

    /// <summary>The class templates [K,D] (a detached copy).</summary>
    public Tensor Templates() => Head.weight!.detach().clone();

    public override Tensor forward(Tensor images) => Head.forward(Features(images));
}
