using LsTranslate.Model;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// How big a `reproduce distillation` run is: networks, data, epochs, the teacher/temperature grid (the α = 0 teacher
/// distils at every one of <see cref="Temperatures"/>, the smoothed teachers at <see cref="SmoothedTemperatures"/>), and
/// the mutual-information probe (two classes, examples per class, augmented copies, period in steps). The regime says
/// what kind of run it is and why, for the report.
/// </summary>
public sealed record DistillationScale(string Name, string Regime, string TeacherArch, string StudentArch, string Optimizer,
    int TeacherEpochs, int StudentEpochs, int TrainLimit, int Validation, int TestLimit,
    double[] TeacherAlphas, double[] Temperatures, double[] SmoothedTemperatures, double Beta,
    double[] MiAlphas, int[] MiClasses, int MiPerClass, int MiCopies, int MiEvery, int BatchSize = 128)
{
    /// <summary>The paper's grid (Figure 6): five teachers, four temperatures.</summary>
    public static readonly double[] PaperAlphas = [0, 0.15, 0.3, 0.45, 0.6];
    public static readonly double[] PaperTemperatures = [1, 2, 4, 8];

    // smoke: a shape check that fits the 2-minute limit on CPU jobs here even with the two cores shared (measured:
    // AlexNet trains at 30–50 images/s under that load): 300 training images, 2 of the 5 teachers, 2 of the 4
    // temperatures, 1 student epoch, AlexNet as teacher too (ResNets' batch norm needs more steps than a smoke run
    // has: resnet8 teachers stayed near chance after 16 steps and taught nothing), and the mutual information
    // measured on the α = 0 and α = 0.3 teachers instead of a separate α = 0.1 run. Its numbers show the pipeline
    // works, not the paper's effects.
    // quick (its regime says what and why; Figure 6 compares exactly the grid kept: T varies for the plain teacher,
    // α for the smoothed ones). Adam, step decay ×0.1 at 50 % and 75 %. Budget from bf16 rates measured here on two cores (ResNet-20 ≈ 660 training images/s, AlexNet ≈ 1,200, a
    // distilled AlexNet ≈ 750 with its teacher's forward pass): ≈ 11 min of teachers, 19 of distilled students,
    // 6 of students alone, 6 of validation, probes and measurements ≈ 42 minutes, inside the 60-minute budget.
    // paper: the full grid on all the data. Adam throughout: AlexNet has no batch norm and the SGD recipe's rate
    // 0.1 is too high for it.
    public static readonly DistillationScale Smoke = new("smoke",
        "a shape check of the pipeline that fits CI's limits; its networks are far from finished and its numbers show nothing about the paper.",
        "alexnet", "alexnet", "adam", 2, 1, 300, 100, 300,
        [0, 0.3], [1, 4], [1, 4], 1, [0, 0.3], [0, 2], 20, 4, 3, BatchSize: 20);
    public static readonly DistillationScale Quick = new("quick",
        "low-resource, every network trained to the end of its schedule (18 epochs of 8,000 images, step decay) because the paper's " +
        "claims are about finished networks; to fit 60 minutes on two CPU cores the grid shrinks instead of the training: 3 of the " +
        "paper's 5 teachers, the α = 0 teacher at all four temperatures but the smoothed ones at T = 1 only, and the mutual " +
        "information measured on the α = 0 and α = 0.3 teachers rather than on a separate α = 0.1 one.",
        "resnet20", "alexnet", "adam", 18, 18, 8000, 2000, 0,
        [0, 0.3, 0.6], PaperTemperatures, [1], 1, [0, 0.3], [0, 2], 300, 5, 50);
    public static readonly DistillationScale Paper = new("paper",
        "the paper's grid on all the training data, 30 epochs per network: days on two CPU cores.",
        "resnet20", "alexnet", "adam", 30, 30, 0, 5000, 0,
        PaperAlphas, PaperTemperatures, PaperTemperatures, 1, [0, 0.1], [0, 2], 300, 5, 100);

    public static IReadOnlyList<DistillationScale> All => [Smoke, Quick, Paper];

    public static DistillationScale Named(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new InputError($"--scale: unknown scale '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
