using LsTranslate.Metrics.Tokenizers;

namespace LsTranslate.Metrics;

/// <summary>
/// BLEU as sacreBLEU 2.x computes it. Line statistics: [hyp_len, ref_len, correct_1..N, total_1..N].
/// </summary>
public sealed class Bleu : TextMetric
{
    readonly BleuOptions _options;
    readonly BleuTokenizer _tokenizer;
    readonly double? _smoothValue;

    public Bleu(BleuOptions? options = null)
    {
        _options = options ?? new BleuOptions();
        _tokenizer = BleuTokenizer.Create(_options.Tokenize);
        if (!BleuOptions.SmoothMethods.Contains(_options.SmoothMethod))
            throw new InputError($"unknown smooth method '{_options.SmoothMethod}' (allowed: {string.Join(", ", BleuOptions.SmoothMethods)})");
        _smoothValue = _options.SmoothValue ?? BleuOptions.DefaultSmoothValue(_options.SmoothMethod);
    }

    public BleuOptions Options => _options;
    public override int StatCount => 2 + 2 * _options.MaxNgramOrder;

    public static BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        BleuOptions? options = null) => (BleuScore)new Bleu(options).Corpus(hypotheses, referenceStreams);

    /// <summary>Sentence BLEU; by default with effective order, as sacreBLEU's sentence_bleu.</summary>
    public static BleuScore SentenceScore(string hypothesis, IReadOnlyList<string> references, BleuOptions? options = null)
    {
        var metric = new Bleu(options ?? new BleuOptions { EffectiveOrder = true });
        return (BleuScore)metric.Corpus([hypothesis], references.Select(r => (IReadOnlyList<string>)[r]).ToArray());
    }

    public MetricSignature Signature(string nrefs)
    {
        string smooth = _options.SmoothMethod;
        if (_smoothValue is { } value) smooth += $"[{PythonFormat.Fixed(value, 2)}]";
        return MetricSignature.Of(
            ("nrefs", nrefs), ("case", _options.Lowercase ? "lc" : "mixed"), ("eff", _options.EffectiveOrder ? "yes" : "no"),
            ("tok", _tokenizer.Name), ("smooth", smooth));
    }

    public override IMetricScore FromStatistics(ReadOnlySpan<double> totals, string nrefs)
    {
        int order = _options.MaxNgramOrder;
        var correct = totals.Slice(2, order).ToArray();
        var total = totals.Slice(2 + order, order).ToArray();
        double sysLen = totals[0], refLen = totals[1];
        double bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - refLen / sysLen) : 0.0) : 1.0;
        var precisions = new double[order];
        var signature = Signature(nrefs);
        if (correct.All(c => c == 0))
            return new BleuScore(0.0, correct, total, precisions, bp, (long)sysLen, (long)refLen, signature);

        double smoothMteval = 1;
        int effOrder = order;
        for (int n = 1; n <= order; n++)
        {
            if (_options.SmoothMethod == "add-k" && n > 1)
            {
                correct[n - 1] += _smoothValue!.Value;
                total[n - 1] += _smoothValue!.Value;
            }
            if (total[n - 1] == 0) break;
            if (_options.EffectiveOrder) effOrder = n;
            if (correct[n - 1] == 0)
            {
                if (_options.SmoothMethod == "exp")
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                }
                else if (_options.SmoothMethod == "floor")
                    precisions[n - 1] = 100.0 * _smoothValue!.Value / total[n - 1];
            }
            else precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
        }
        double logSum = 0;
        for (int n = 0; n < effOrder; n++) logSum += precisions[n] == 0 ? -9999999999 : Math.Log(precisions[n]);
        double score = bp * Math.Exp(logSum / effOrder);
        return new BleuScore(score, correct, total, precisions, bp, (long)sysLen, (long)refLen, signature);
    }

    protected override LineWorker CreateWorker() => new Worker(this);

    sealed class Worker(Bleu metric) : LineWorker
    {
        readonly TokenVocabulary _vocabulary = new();
        readonly NgramIndex _index = new();
        readonly NgramCounts _refMax = new(), _refCurrent = new(), _hyp = new();
        readonly CharBuffer _tokenized = new();
        readonly List<int> _tokens = [];

        public override string Prepare(string reference)
        {
            Tokenize(reference);
            return _tokenized.ToString();
        }

        public override void Statistics(string hypothesis, IReadOnlyList<string> references, Span<double> stats)
        {
            int order = metric._options.MaxNgramOrder;
            _index.Clear();
            Tokenize(hypothesis);
            int hypLen = Split(_tokenized.Span);
            Count(_hyp, order, hypothesis: true);

            int closestDiff = -1, closestLen = -1;
            foreach (var reference in references)
            {
                int refLen = Split(reference);
                Count(_refCurrent, order, hypothesis: false);
                foreach (int id in _refCurrent.Touched)
                    if (_refCurrent[id] > _refMax[id]) _refMax.Set(id, _refCurrent[id]);
                _refCurrent.Clear();
                int diff = Math.Abs(hypLen - refLen);
                if (closestDiff == -1 || diff < closestDiff) (closestDiff, closestLen) = (diff, refLen);
                else if (diff == closestDiff && refLen < closestLen) closestLen = refLen;
            }

            stats.Clear();
            stats[0] = hypLen;
            stats[1] = closestLen;
            foreach (int id in _hyp.Touched)
            {
                int n = _index.SlotOf(id);
                stats[2 + order + n] += _hyp[id];
                stats[2 + n] += Math.Min(_hyp[id], _refMax[id]);
            }
            _hyp.Clear();
            _refMax.Clear();
        }

        void Tokenize(string line)
        {
            string text = metric._options.Lowercase ? PythonText.Lower(line) : line;
            metric._tokenizer.Tokenize(PythonText.RStrip(text), _tokenized);
        }

        int Split(ReadOnlySpan<char> tokenized)
        {
            _vocabulary.SplitToIds(tokenized, _tokens);
            return _tokens.Count;
        }

        /// <summary>
        /// Counts the n-grams of <see cref="_tokens"/>: all of a hypothesis's; of a reference's only those the hypothesis
        /// has, since no other can be clipped against and no extension of an absent one is there either.
        /// </summary>
        void Count(NgramCounts counts, int order, bool hypothesis)
        {
            for (int i = 0; i < _tokens.Count; i++)
            {
                int prefix = 0;
                for (int n = 0; n < order && i + n < _tokens.Count; n++)
                {
                    prefix = hypothesis ? _index.IdOf(prefix, _tokens[i + n], n) : _index.Find(prefix, _tokens[i + n]);
                    if (prefix == 0) break;
                    counts.Add(prefix);
                }
            }
        }
    }
}
