using LsTranslate.Model;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// How big a `reproduce translation` run is. Both models get the same data, seed and budget; only α differs.
/// TrainPairs/DevPairs/TestPairs of 0 mean the whole split; SweepPairs is the (evenly strided) part of the
/// test set decoded at every temperature of the sweep, because beam search at 10 temperatures on CPU is
/// the costliest part after training.
/// </summary>
public sealed record TranslationScale(
    string Name, string Preset, int VocabSize, int TrainPairs, int DevPairs, int TestPairs, int SweepPairs,
    long? MaxSteps, TimeSpan? MaxTime, int WarmupSteps, int ValidateEvery, double LearningRate, double[] Temperatures)
{
    static double[] Sweep(double from, double to, double step) =>
        Enumerable.Range(0, (int)Math.Round((to - from) / step) + 1).Select(i => Math.Round(from + i * step, 4)).ToArray();

    // smoke: a shape check for tests and CI; quick: the small preset on the whole corpus within an hour on
    // two idle CPU cores (400 updates of 4096 tokens, about 20 minutes per model); full: the paper's
    // transformer-base, for a GPU. Budgets are in steps, not time, so a rerun gives the same models.
    public static readonly TranslationScale Smoke = new("smoke", "tiny", 400, 3000, 100, 100, 40,
        MaxSteps: 40, MaxTime: null, WarmupSteps: 10, ValidateEvery: 20, LearningRate: 3e-3, Temperatures: [0.8, 1.0, 1.25]);
    public static readonly TranslationScale Quick = new("quick", "small", 8000, 0, 0, 0, 200,
        MaxSteps: 400, MaxTime: null, WarmupSteps: 150, ValidateEvery: 100, LearningRate: 1e-3, Temperatures: Sweep(0.7, 1.6, 0.1));
    public static readonly TranslationScale Full = new("full", "base", 8000, 0, 0, 0, 0,
        MaxSteps: 100_000, MaxTime: null, WarmupSteps: 4000, ValidateEvery: 1000, LearningRate: 7e-4, Temperatures: Sweep(0.7, 1.6, 0.1));

    public static IReadOnlyList<TranslationScale> All => [Smoke, Quick, Full];

    public static TranslationScale Named(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new InputError($"--scale: unknown scale '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
