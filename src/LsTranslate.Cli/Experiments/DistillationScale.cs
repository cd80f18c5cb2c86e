using LsTranslate.Model;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// How big a `reproduce distillation` run is: networks, data, epochs, the teacher/temperature grid, and the
/// mutual-information probe (two classes, examples per class, augmented copies, period in steps).
/// </summary>
public sealed record DistillationScale(string Name, string TeacherArch, string StudentArch, string Optimizer,
    int TeacherEpochs, int StudentEpochs, int TrainLimit, int Validation, int TestLimit,
    double[] TeacherAlphas, double[] Temperatures, double Beta,
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
    // quick: 3 of the 5 teachers, all 4 temperatures, ResNet-20 teachers and AlexNet students on 8000 images, 4 epochs,
    // MI at α = 0 and 0.1 on 300 + 300 examples. Budget from rates measured here on two cores (ResNet-20 ≈ 270 training
    // images/s, AlexNet ≈ 450, a distilled AlexNet ≈ 290 with its teacher's forward pass): ≈ 8 min of teachers, 22 of
    // students, 4 of students alone, 4 of measurements ≈ 40 minutes.
    // paper: the full grid on all the data. Adam throughout: AlexNet has no batch norm and the SGD recipe's rate
    // 0.1 is too high for it.
    public static readonly DistillationScale Smoke = new("smoke", "alexnet", "alexnet", "adam", 2, 1, 300, 100, 300,
        [0, 0.3], [1, 4], 1, [0, 0.3], [0, 2], 20, 4, 3, BatchSize: 20);
    public static readonly DistillationScale Quick = new("quick", "resnet20", "alexnet", "adam", 4, 4, 8000, 2000, 5000,
        [0, 0.3, 0.6], PaperTemperatures, 1, [0, 0.1], [0, 2], 300, 5, 25);
    public static readonly DistillationScale Paper = new("paper", "resnet20", "alexnet", "adam", 30, 30, 0, 5000, 0,
        PaperAlphas, PaperTemperatures, 1, [0, 0.1], [0, 2], 300, 5, 100);

    public static IReadOnlyList<DistillationScale> All => [Smoke, Quick, Paper];

    public static DistillationScale Named(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new InputError($"--scale: unknown scale '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
