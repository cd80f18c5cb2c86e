using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Vision;

/// <summary>
/// A classifier split the way the paper looks at it: a feature extractor giving the penultimate
/// activations, then one linear layer whose weight rows are the class templates.
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    protected ImageClassifier(string name) : base(name) { }

    /// <summary>The last layer; its weight [K,D] holds one template per class.</summary>
    public abstract Linear Head { get; }

    /// <summary>Penultimate activations [B,D] for images [B,C,H,W].</summary>
    public abstract Tensor Features(Tensor images);

    /// <summary>The class templates [K,D] (a detached copy).</summary>
    public Tensor Templates() => Head.weight!.detach().clone();

    public override Tensor forward(Tensor images) => Head.forward(Features(images));
}
