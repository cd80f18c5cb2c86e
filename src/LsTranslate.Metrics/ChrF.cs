using System.Text;

namespace LsTranslate.Metrics;

/// <summary>chrF/chrF++ settings, with sacreBLEU 2.x's defaults (chrF2: 6 character orders, no words).</summary>
public sealed record ChrFOptions
{
    public int CharOrder { get; init; } = 6;
    /// <summary>2 gives chrF++.</summary>
    public int WordOrder { get; init; }
    public int Beta { get; init; } = 2;
    public bool Lowercase { get; init; }
    /// <summary>Keep whitespace inside character n-grams.</summary>
    public bool Whitespace { get; init; }
    /// <summary>chrF++.py-style epsilon smoothing instead of sacreBLEU's effective order.</summary>
    public bool EpsSmoothing { get; init; }
}

public sealed record ChrFScore(double Score, string Name, MetricSignature Signature) : IMetricScore
{
    public string Text => this.Line(2);
    public string Verbose => "";
}

/// <summary>
/// chrF (Popović 2015) and chrF++ (2017) as sacreBLEU 2.x computes them. Character n-grams run over
/// code points of the line with whitespace removed. Line statistics: [hyp, ref, match] per order,
/// character orders first; with several references, those of the reference with the best F score.
/// </summary>
public sealed class ChrF : TextMetric
{
    static readonly string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    // Word tokens are numbered after every code point, so they never meet character tokens.
    const int WordTokenBase = 0x110000;

    readonly ChrFOptions _options;

    public ChrF(ChrFOptions? options = null) => _options = options ?? new ChrFOptions();

    public ChrFOptions Options => _options;
    int Order => _options.CharOrder + _options.WordOrder;
    public override int StatCount => 3 * Order;
    public string Name => $"chrF{_options.Beta}" + new string('+', _options.WordOrder);

    public static ChrFScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        ChrFOptions? options = null) => (ChrFScore)new ChrF(options).Corpus(hypotheses, referenceStreams);

    public override IMetricScore FromStatistics(ReadOnlySpan<double> totals, string nrefs) =>
        new ChrFScore(FScore(totals, float32: false), Name, MetricSignature.Of(
            ("nrefs", nrefs), ("case", _options.Lowercase ? "lc" : "mixed"), ("eff", _options.EpsSmoothing ? "no" : "yes"),
            ("nc", _options.CharOrder.ToString()), ("nw", _options.WordOrder.ToString()),
            ("space", _options.Whitespace ? "yes" : "no")));

    public override double ResampledScore(ReadOnlySpan<double> totals) => FScore(totals, float32: true);

    double FScore(ReadOnlySpan<double> stats, bool float32)
    {
        const double eps = 1e-16;
        double factor = _options.Beta * _options.Beta;
        double score = 0, avgPrec = 0, avgRec = 0;
        int effectiveOrder = 0;
        for (int i = 0; i < Order; i++)
        {
            double nHyp = stats[3 * i], nRef = stats[3 * i + 1], nMatch = stats[3 * i + 2];
            double prec = nHyp > 0 ? Ratio(nMatch, nHyp, float32) : eps;
            double rec = nRef > 0 ? Ratio(nMatch, nRef, float32) : eps;
            double denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }
        if (_options.EpsSmoothing) return 100 * score / Order;
        if (effectiveOrder == 0) avgPrec = avgRec = 0;
        else
        {
            avgPrec /= effectiveOrder;
            avgRec /= effectiveOrder;
        }
        if (avgPrec + avgRec == 0) return 0;
        return 100 * ((1 + factor) * avgPrec * avgRec / (factor * avgPrec + avgRec));
    }

    protected override LineWorker CreateWorker() => new Worker(this);

    sealed class Worker(ChrF metric) : LineWorker
    {
        readonly TokenVocabulary _words = new();
        readonly NgramIndex _index = new();
        readonly NgramCounts _hyp = new(), _ref = new();
        readonly List<int> _tokens = [];
        readonly List<(int Start, int Length)> _spans = [];
        readonly double[] _hypTotals = new double[metric.Order], _refTotals = new double[metric.Order];
        readonly double[] _matches = new double[metric.Order];
        readonly double[] _candidate = new double[metric.StatCount];

        public override string Prepare(string reference) => metric._options.Lowercase ? PythonText.Lower(reference) : reference;

        public override void Statistics(string hypothesis, IReadOnlyList<string> references, Span<double> stats)
        {
            _index.Clear();
            Extract(Prepare(hypothesis), reference: false);
            double best = -1;
            foreach (var reference in references)
            {
                Extract(reference, reference: true);
                _ref.Clear();
                for (int i = 0; i < metric.Order; i++)
                {
                    _candidate[3 * i] = _refTotals[i] > 0 ? _hypTotals[i] : 0;
                    _candidate[3 * i + 1] = _refTotals[i];
                    _candidate[3 * i + 2] = _matches[i];
                }
                double f = metric.FScore(_candidate, float32: false);
                if (f > best)
                {
                    best = f;
                    _candidate.CopyTo(stats);
                }
            }
            _hyp.Clear();
        }

        /// <summary>
        /// The character (then word) n-grams of a line as <see cref="Prepare"/> made it: a hypothesis's are counted, a
        /// reference's matched against them (<see cref="_matches"/>).
        /// </summary>
        void Extract(string text, bool reference)
        {
            var options = metric._options;
            Array.Clear(reference ? _refTotals : _hypTotals);
            if (reference) Array.Clear(_matches);

            _tokens.Clear();
            int i = 0;
            while (i < text.Length)
            {
                Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out int used);
                if (options.Whitespace || used > 1 || !PythonText.IsSpace(text[i])) _tokens.Add(rune.Value);
                i += used;
            }
            CountNgrams(reference, options.CharOrder, firstSlot: 0);

            if (options.WordOrder > 0)
            {
                _tokens.Clear();
                PythonText.Split(text, _spans);
                foreach (var (start, length) in _spans)
                {
                    var word = text.AsSpan(start, length);
                    // sacreBLEU splits one punctuation mark off the end, or else off the start, of a longer word.
                    if (word.Length > 1 && Punctuation.Contains(word[^1]))
                    {
                        AddWord(word[..^1]);
                        AddWord(word[^1..]);
                    }
                    else if (word.Length > 1 && Punctuation.Contains(word[0]))
                    {
                        AddWord(word[..1]);
                        AddWord(word[1..]);
                    }
                    else AddWord(word);
                }
                CountNgrams(reference, options.WordOrder, firstSlot: options.CharOrder);
            }
        }

        void AddWord(ReadOnlySpan<char> word) => _tokens.Add(WordTokenBase + _words.IdOf(word));

        void CountNgrams(bool reference, int maxOrder, int firstSlot)
        {
            var totals = reference ? _refTotals : _hypTotals;
            for (int n = 0; n < maxOrder; n++) totals[firstSlot + n] = Math.Max(0, _tokens.Count - n);
            for (int i = 0; i < _tokens.Count; i++)
            {
                int prefix = 0;
                for (int n = 0; n < maxOrder && i + n < _tokens.Count; n++)
                {
                    if (!reference)
                    {
                        prefix = _index.IdOf(prefix, _tokens[i + n], firstSlot + n);
                        _hyp.Add(prefix);
                        continue;
                    }
                    // A reference n-gram matches while the hypothesis has more of it than the reference so far.
                    prefix = _index.Find(prefix, _tokens[i + n]);
                    if (prefix == 0) break;
                    if (_ref.Add(prefix) <= _hyp[prefix]) _matches[firstSlot + n]++;
                }
            }
        }
    }
}
