using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// Candidates for the next step of every sentence, ranked best first where that means something:
/// scores [sentences, C] (summed log-probabilities), beams [sentences, C] (which open hypothesis each extends),
/// tokens [sentences, C] and each token's own log-probability [sentences, C], at the search temperature and before
/// any sampling filter (constraints only rule tokens out, so a chosen token's value is the model's own).
/// </summary>
readonly record struct Candidates(Tensor Scores, Tensor Beams, Tensor Tokens, Tensor TokenLogProbs);

interface ICandidateSelection
{
    /// <param name="openScores">[sentences, beam] summed log-probabilities of the open hypotheses (−∞: none).</param>
    /// <param name="logProbs">[sentences, beam, vocab] next-token log-probabilities.</param>
    Candidates Select(Tensor openScores, Tensor logProbs);

    /// <summary>Scores of a sentence's first hypothesis rows at step 0 (all beams start as the same empty prefix).</summary>
    float InitialScoreOfCopies { get; }
}

/// <summary>
/// Beam search: the 2·beam best (beam, token) extensions over beam × vocab in one topk, so that up to
/// `beam` of them may end with EOS and `beam` open ones still remain (fairseq's scheme).
/// </summary>
sealed class BeamCandidates(int beam) : ICandidateSelection
{
    // Copies of the empty prefix would fill the beam with duplicates: only the first row starts open.
    public float InitialScoreOfCopies => float.NegativeInfinity;

    public Candidates Select(Tensor openScores, Tensor logProbs)
    {
        long sentences = logProbs.shape[0], vocab = logProbs.shape[2];
        var total = (openScores.unsqueeze(2) + logProbs).view(sentences, beam * vocab);
        var (scores, flat) = total.topk((int)Math.Min(2L * beam, beam * vocab), 1);
        return new(scores, flat.div(vocab, RoundingMode.floor), flat.remainder(vocab), logProbs.view(sentences, beam * vocab).gather(1, flat));
    }
}

/// <summary>
/// Ancestral sampling: every row draws its own next token (after top-k / top-p filtering), so a
/// sentence's `beam` rows are independent samples. Scores are the unfiltered log-probabilities.
/// </summary>
sealed class SampledCandidates(SearchOptions options) : ICandidateSelection
{
    readonly Generator generator = new(options.Seed);
    Generator? deviceGenerator;

    public float InitialScoreOfCopies => 0f;

    public Candidates Select(Tensor openScores, Tensor logProbs)
    {
        long sentences = logProbs.shape[0], beam = logProbs.shape[1], vocab = logProbs.shape[2];
        var rows = logProbs.view(sentences * beam, vocab);
        var drawn = torch.multinomial(Filtered(rows).exp(), 1, false, GeneratorFor(rows.device)); // [rows, 1]
        var tokenLogProbs = rows.gather(1, drawn).view(sentences, beam);
        var beams = torch.arange(beam, device: rows.device).unsqueeze(0).expand(sentences, beam);
        return new(openScores + tokenLogProbs, beams, drawn.view(sentences, beam), tokenLogProbs);
    }

    Generator GeneratorFor(Device device)
    {
        if (device.type == DeviceType.CPU) return generator;
        return deviceGenerator ??= new Generator(options.Seed, device);
    }

    Tensor Filtered(Tensor lp)
    {
        if (options.TopK > 0 && options.TopK < lp.shape[1])
        {
            var kth = lp.topk(options.TopK, 1).values.narrow(1, options.TopK - 1, 1);
            lp = lp.masked_fill(lp.lt(kth), float.NegativeInfinity);
        }
        if (options.TopP < 1.0)
        {
            var (sorted, order) = lp.sort(1, descending: true);
            var p = sorted.exp();
            // Drop a token once the tokens ranked above it already hold TopP of the mass; the top one stays.
            var dropSorted = (p.cumsum(1) - p).ge(options.TopP);
            var drop = torch.zeros_like(dropSorted).scatter_(1, order, dropSorted);
            lp = lp.masked_fill(drop, float.NegativeInfinity);
        }
        return lp;
    }
}
