using LsTranslate.Model;

namespace LsTranslate.Cli.Experiments;

/// <summary>How big a `reproduce vision` run is: network, data, epochs, seeds and smoothing values.</summary>
public sealed record VisionScale(string Name, string Arch, string Optimizer, int Epochs, int TrainLimit, int Validation,
    int Seeds, double[] Alphas, int PerClass, int TestLimit = 0)
{
    // smoke: a shape check in minutes on two CPU cores (first 2000 test images only).
    // quick: the paper's comparison at small cost: ResNet-20 trains at ≈ 270 images/s on two idle cores here, so
    // 3 seeds × 2 α × 5 epochs × 16000 images ≈ 30 minutes of training, inside the 45-minute budget with measurements.
    // paper: ResNet-56 with the full training set and the SGD recipe.
    public static readonly VisionScale Smoke = new("smoke", "alexnet", "adam", 2, 2000, 1000, 1, [0.0, 0.1], 100, TestLimit: 2000);
    public static readonly VisionScale Quick = new("quick", "resnet20", "sgd", 5, 16000, 5000, 3, [0.0, 0.1], 100);
    public static readonly VisionScale Paper = new("paper", "resnet56", "sgd", 60, 0, 5000, 3, [0.0, 0.05, 0.1], 100);

    public static IReadOnlyList<VisionScale> All => [Smoke, Quick, Paper];

    public static VisionScale Named(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new InputError($"--scale: unknown scale '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
