namespace LsTranslate.Metrics;

/// <summary>TER settings. sacreBLEU 2.x's default TER: case-insensitive, no normalisation, punctuation kept.</summary>
public sealed record TerOptions
{
    public bool CaseSensitive { get; init; }
    /// <summary>Split punctuation off words (tercom's normalisation).</summary>
    public bool Normalized { get; init; }
    /// <summary>Delete punctuation before aligning.</summary>
    public bool NoPunct { get; init; }
}

public sealed record TerScore(double Score, double Edits, double RefLength, MetricSignature Signature) : IMetricScore
{
    public string Name => "TER";
    public string Text => this.Line(2);
    public string Verbose => "";
}

/// <summary>
/// Translation edit rate as sacreBLEU 2.x computes it (its Tercom re-implementation): words split on
/// whitespace, lowercased unless case-sensitive. Line statistics: [fewest edits over the references,
/// mean reference length].
/// </summary>
public sealed class Ter : TextMetric
{
    readonly TerOptions _options;

    public Ter(TerOptions? options = null) => _options = options ?? new TerOptions();

    public override int StatCount => 2;

    public static TerScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        TerOptions? options = null) => (TerScore)new Ter(options).Corpus(hypotheses, referenceStreams);

    public override IMetricScore FromStatistics(ReadOnlySpan<double> totals, string nrefs)
    {
        double edits = totals[0], refLength = totals[1];
        return new TerScore(Score(edits, refLength, float32: false), edits, refLength, MetricSignature.Of(
            ("nrefs", nrefs), ("case", _options.CaseSensitive ? "mixed" : "lc"), ("tok", "tercom"),
            ("norm", _options.Normalized ? "yes" : "no"), ("punct", _options.NoPunct ? "no" : "yes"), ("asian", "no")));
    }

    public override double ResampledScore(ReadOnlySpan<double> totals) => Score(totals[0], totals[1], float32: true);

    static double Score(double edits, double refLength, bool float32) =>
        100 * (refLength > 0 ? Ratio(edits, refLength, float32) : edits > 0 ? 1.0 : 0.0);

    protected override LineWorker CreateWorker() => new Worker(this);

    sealed class Worker(Ter metric) : LineWorker
    {
        readonly TokenVocabulary _vocabulary = new();
        readonly List<int> _tokens = [];
        readonly TerAligner _aligner = new();

        public override void Statistics(string hypothesis, IReadOnlyList<string> references, Span<double> stats)
        {
            int[] hyp = Words(Prepare(hypothesis));
            long best = long.MaxValue;
            double refLengths = 0;
            foreach (var reference in references)
            {
                int[] words = Words(reference);
                best = Math.Min(best, _aligner.Edits(hyp, words));
                refLengths += words.Length;
            }
            stats[0] = best;
            stats[1] = refLengths / references.Count;
        }

        public override string Prepare(string line)
        {
            var text = PythonText.RStrip(line).ToString();
            if (!metric._options.CaseSensitive) text = PythonText.Lower(text);
            if (metric._options.Normalized) text = TercomNormalizer.Normalize(text);
            if (metric._options.NoPunct) text = TercomNormalizer.RemovePunctuation(text);
            return text;
        }

        int[] Words(string prepared)
        {
            _vocabulary.SplitToIds(prepared, _tokens);
            return [.. _tokens];
        }
    }
}
