
namespace LsTranslate.Metrics;

/// <summary>The metrics a scoring job computes, by name (bleu, chrf, ter), and the settings of each.</summary>
public sealed record ScoringSettings(IReadOnlyList<string> Metrics)
{
    public BleuOptions Bleu { get; init; } = new();
    public ChrFOptions ChrF { get; init; } = new();
    public TerOptions Ter { get; init; } = new();
}

/// <summary>
/// One scoring run, behind `score` and `sacrebleu` alike: the chosen metrics, the reference and system files read and
/// checked against each other, the references prepared once per metric for all systems (as sacreBLEU caches them),
/// and what is asked of them: corpus scores, sentence scores, paired bootstrap (<see cref="CompareSystems"/>) or
/// approximate randomization (<see cref="RandomizeSystems"/>).
/// The commands only name the options and print the results in their dialect.
/// </summary>
public sealed class ScoringJob
{
    public static readonly IReadOnlyList<string> MetricNames = ["bleu", "chrf", "ter"];

    readonly IReadOnlyList<string>[] _systems;
    readonly PreparedReferences[] _references;

    ScoringJob(TextMetric[] metrics, IReadOnlyList<string>[] systems, PreparedReferences[] references) =>
        (Metrics, _systems, _references) = (metrics, systems, references);

    public IReadOnlyList<TextMetric> Metrics { get; }

    /// <summary>Reads the files ("-" is standard input) and checks that every one has as many lines as the first reference.</summary>
    public static ScoringJob Read(ScoringSettings settings, IReadOnlyList<string> referencePaths, IReadOnlyList<string> systemPaths)
    {
        var metrics = settings.Metrics.Select(name => CreateMetric(name, settings)).ToArray();
        var referenceStreams = referencePaths.Select(LineFile.Read).ToArray();
        var systems = systemPaths.Select(LineFile.Read).ToArray();
        CheckLines(referencePaths, referenceStreams, systemPaths, systems);
        var references = new References(referenceStreams);
        return new ScoringJob(metrics, systems, metrics.Select(m => m.Prepare(references)).ToArray());
    }

    /// <summary>Per system, per metric.</summary>
    public IReadOnlyList<IReadOnlyList<IMetricScore>> CorpusScores() =>
        _systems.Select(system => Metrics.Select((metric, m) => metric.Corpus(system, _references[m])).ToArray()).ToArray();

    /// <summary>Per system, per metric, per line.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<IMetricScore>>> SentenceScores() =>
        _systems.Select(system => Metrics.Select((metric, m) => metric.Sentences(system, _references[m])).ToArray()).ToArray();

    /// <summary>Per metric, per system: every system against the first, by paired bootstrap.</summary>
    public IReadOnlyList<IReadOnlyList<BootstrapResult>> CompareSystems(int samples, int seed) =>
        Metrics.Select((metric, m) => PairedBootstrap.Compare(metric, _systems, _references[m], samples, seed)).ToArray();

    /// <summary>Per metric, per system: every system against the first, by paired approximate randomization.</summary>
    public IReadOnlyList<IReadOnlyList<RandomizationResult>> RandomizeSystems(int trials, int seed) =>
        Metrics.Select((metric, m) => PairedRandomization.Compare(metric, _systems, _references[m], trials, seed)).ToArray();

    static TextMetric CreateMetric(string name, ScoringSettings settings) => name switch
    {
        "bleu" => new Bleu(settings.Bleu),
        "chrf" => new ChrF(settings.ChrF),
        "ter" => new Ter(settings.Ter),
        _ => throw new InputError($"unknown metric '{name}' (allowed: {string.Join(", ", MetricNames)})"),
    };

    static void CheckLines(IReadOnlyList<string> referencePaths, string[][] referenceStreams, IReadOnlyList<string> systemPaths, string[][] systems)
    {
        int expected = referenceStreams[0].Length;
        foreach (var (path, lines) in referencePaths.Zip(referenceStreams).Concat(systemPaths.Zip(systems)))
            if (lines.Length != expected)
                throw new InputError($"{DisplayName(path)} has {lines.Length} lines but {DisplayName(referencePaths[0])} has {expected}");
        for (int line = 0; line < expected; line++)
            if (referenceStreams.All(stream => stream[line].Length == 0))
                throw InputError.At(DisplayName(referencePaths[0]), line + 1, "empty reference line (sacreBLEU rejects these too)");
    }

    static string DisplayName(string path) => path == "-" ? "<stdin>" : path;
}
