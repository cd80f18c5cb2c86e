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

    // smoke: a shape check in about 3 minutes on two busy CPU cores (1000 training images, tiny nets, 2 of 5 teachers,
    // 2 of 4 temperatures). quick: 3 teachers × 3 temperatures on 10 000 images, sized for under an hour on this
    // machine (not run here). paper: the full grid on all the training data. Adam throughout: AlexNet has no batch
    // norm and the SGD recipe's rate 0.1 is too high for it.
    public static readonly DistillationScale Smoke = new("smoke", "resnet8", "alexnet", "adam", 2, 2, 1000, 500, 1000,
        [0, 0.3], [1, 4], 1, [0, 0.1], [0, 2], 50, 5, 2);
    public static readonly DistillationScale Quick = new("quick", "resnet20", "alexnet", "adam", 5, 5, 10000, 2000, 0,
        [0, 0.3, 0.6], [1, 2, 4], 1, [0, 0.1], [0, 2], 300, 5, 20);
    public static readonly DistillationScale Paper = new("paper", "resnet20", "alexnet", "adam", 30, 30, 0, 5000, 0,
        PaperAlphas, PaperTemperatures, 1, [0, 0.1], [0, 2], 300, 5, 100);

    public static IReadOnlyList<DistillationScale> All => [Smoke, Quick, Paper];

    public static DistillationScale Named(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new InputError($"--scale: unknown scale '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
