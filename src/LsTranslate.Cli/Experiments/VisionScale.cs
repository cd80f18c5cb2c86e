using LsTranslate.Model;

namespace LsTranslate.Cli.Experiments;

/// <summary>How big a `reproduce vision` run is: network, data, epochs, seeds and smoothing values.</summary>
/// <param name="Regime">what kind of run this is and why, for the report.</param>
public sealed record VisionScale(string Name, string Regime, string Arch, string Optimizer, int Epochs, int TrainLimit, int Validation,
    int Seeds, double[] Alphas, int PerClass, int TestLimit = 0)
{
    // smoke: a shape check in minutes on two CPU cores (first 2000 test images only).
    // quick: a low-resource regime trained to the end of the paper's schedule (SGD + Nesterov, step decay ×0.1 at 50 %
    // and 75 % of the epochs) and measured on its final weights: 10,000 training images, 20 epochs (1,580 steps). Budget
    // from rates measured here on two cores in bf16 (ResNet-20 ≈ 660 training images/s): 6 networks × 20 × 10,000 images
    // ≈ 30 minutes of training, validation on 2,500 held-out images every epoch (fp32) ≈ 3 more, measurements ≈ 3:
    // inside 45 minutes. Fewer images and more epochs than the earlier 5-epoch quick run, whose networks had not
    // finished learning; three seeds, as before, because the claims are judged against the spread over seeds.
    // paper: ResNet-56 with the full training set and the SGD recipe.
    public static readonly VisionScale Smoke = new("smoke",
        "a shape check of the pipeline in a minute; its networks are far from finished and its numbers show nothing about the paper.",
        "alexnet", "adam", 2, 2000, 1000, 1, [0.0, 0.1], 100, TestLimit: 2000);
    public static readonly VisionScale Quick = new("quick",
        "low-resource, trained to the end of the paper's schedule: 10,000 of the 55,000 training images for 20 epochs with step decay, " +
        "so that each network finishes learning inside the 45 minutes two CPU cores allow for six networks (the paper trains on all " +
        "the data to convergence; finished networks are what its claims are about).",
        "resnet20", "sgd", 20, 10000, 2500, 3, [0.0, 0.1], 100);
    public static readonly VisionScale Paper = new("paper",
        "the paper's: ResNet-56 on the full training set with the SGD recipe, more than two days on two CPU cores.",
        "resnet56", "sgd", 60, 0, 5000, 3, [0.0, 0.05, 0.1], 100);

    public static IReadOnlyList<VisionScale> All => [Smoke, Quick, Paper];

    public static VisionScale Named(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new InputError($"--scale: unknown scale '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
