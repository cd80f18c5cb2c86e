using LsTranslate.Model;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Search;

/// <summary>
/// Batched greedy, beam and sampling search over an <see cref="IIncrementalSeq2Seq"/>: the source batch
/// is encoded once, then every step feeds all open rows (sentences × beam) through one decoder step.
/// Finished sentences leave the batch (the decoder state is reordered to the remaining rows).
///
/// Stopping: a hypothesis finishes when EOS ranks among a sentence's `beam` best candidates. By default
/// (<see cref="BeamStopping.Beam"/>, fairseq's rule) a sentence is done once it has `beam` finished hypotheses.
/// <see cref="BeamStopping.Exact"/>: done when it has NBest finished hypotheses and no open one can still beat the
/// worst of them: the best open summed log-probability s ≤ 0 can only fall, and divided by the largest length penalty
/// it could still get (at max length for α ≥ 0) bounds every score it can reach. <see cref="BeamStopping.HuggingFace"/>:
/// done when it has `beam` finished and the worst is at least the step's best candidate score divided by the penalty
/// of the length so far (transformers' BeamHypotheses.is_done). Beam 1 is greedy: the first EOS ends the sentence.
/// Sampling stops a sentence when all its samples ended.
/// </summary>
public sealed class BeamSearch
{
    readonly IIncrementalSeq2Seq model;
    readonly SearchOptions options;
    readonly NextTokenScores scorer;
    readonly ICandidateSelection selection;

    public BeamSearch(IIncrementalSeq2Seq model, SearchOptions options)
    {
        this.model = model;
        this.options = options.Validate();
        // The step's readback carries token ids as float32 (StepReadback).
        if (model.VocabSize >= 1 << 24) throw new InputError($"a vocabulary of {model.VocabSize} tokens is beyond search's 2^24");
        scorer = new NextTokenScores(options, model.VocabSize);
        selection = options.Sampling ? new SampledCandidates(options) : new BeamCandidates(options.Beam);
    }

    /// <summary>
    /// Searches a batch of sources ([sentences, srcLen] int64, right-padded with PAD) and returns, per
    /// sentence, up to NBest hypotheses, best first. <paramref name="sourceLengths"/>, the sources' tokens
    /// where the caller has them, spares reading them back from the device.
    /// </summary>
    public IReadOnlyList<FinishedHypothesis>[] Search(Tensor sourceIds, IReadOnlyList<int>? sourceLengths = null)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad(); // search never trains: no autograd graph over the steps
        int beam = options.Beam, vocab = model.VocabSize;
        var device = sourceIds.device;
        sourceLengths ??= [.. sourceIds.ne(SpecialTokens.Pad).sum(1).cpu().data<long>().ToArray().Select(l => (int)l)];
        var sentences = sourceLengths
            // a·|x|+b may ask for more tokens than the decoder has positions: it ends there (the last one must be EOS).
            .Select(l => new SentenceSearch(options, Math.Min(options.MaxLength(l), model.MaxPositions - 1))).ToArray();

        using var state = model.Encode(sourceIds);
        var active = Enumerable.Range(0, sentences.Length).ToList(); // active position → sentence
        if (beam > 1)
        {
            using var expand = new RowOrder([.. Enumerable.Range(0, sentences.Length * beam).Select(row => (long)(row / beam))]);
            state.Reorder(expand);
        }

        var firstScores = new float[beam];
        Array.Fill(firstScores, selection.InitialScoreOfCopies, 1, beam - 1);
        var openScores = torch.tensor(firstScores, device: device).repeat(sentences.Length, 1);
        var previous = torch.full(sentences.Length * beam, SpecialTokens.Bos, ScalarType.Int64, device: device);
        Tensor? history = options.NoRepeatNgram > 0
            ? torch.empty(sentences.Length * beam, 0, ScalarType.Int64, device: device) : null;

        for (int step = 0; active.Count > 0; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            int count = active.Count;
            var logits = model.Step(previous, state);
            var logProbs = scorer.Score(logits, new StepContext(step, AtMaxLength(active, sentences, step, beam, device), history));
            var candidates = selection.Select(openScores, logProbs.view(count, beam, vocab));
            var (next, ending) = Continuations(candidates, beam);

            var host = StepReadback.Read(next, candidates, ending, beam);
            var stillActive = new List<int>(count);
            var rows = new List<long>(count * beam); // the rows the next step continues: each kept sentence's parent beams
            for (int a = 0; a < count; a++)
            {
                var sentence = sentences[active[a]];
                var parents = host.ParentBeams(a);
                foreach (var (endingBeam, score, eosLogProb) in host.Ending(a)) sentence.Finish(endingBeam, score, eosLogProb);
                sentence.Advance(parents, host.Tokens(a), host.TokenLogProbs(a));
                if (sentence.IsDone(step, host.BestOpen(a), host.BestCandidate(a))) continue;
                stillActive.Add(a);
                foreach (var parent in parents) rows.Add((long)a * beam + parent);
            }
            if (stillActive.Count == 0) break;

            var (nextScores, nextTokens) = (next.Scores, next.Tokens);
            if (stillActive.Count < count)
            {
                var keep = torch.tensor(stillActive.Select(a => (long)a).ToArray(), device: device);
                nextScores = nextScores.index_select(0, keep);
                nextTokens = nextTokens.index_select(0, keep);
                active = stillActive.Select(a => active[a]).ToList();
            }
            using var order = new RowOrder([.. rows]);
            // With one row per sentence and none dropped the order is unchanged: skip the cache copy.
            if (beam > 1 || stillActive.Count < count) state.Reorder(order);
            Replace(ref openScores, nextScores);
            Replace(ref previous, nextTokens.reshape(-1));
            if (history is not null) Replace(ref history, torch.cat([history.index_select(0, order.On(device)), previous.unsqueeze(1)], 1));
        }
        return sentences.Select(s => s.Finished.Take(options.NBest).ToList()).ToArray();
    }

    /// <summary>
    /// The `beam` open hypotheses of the next step: the best candidates that do not end (fairseq ranks
    /// by position, ending ones pushed back), and which of the first `beam` candidates end here.
    /// Ending or impossible candidates that must fill the beam get score −∞ (they never finish).
    /// </summary>
    static (Candidates Next, Tensor EndingFirst) Continuations(Candidates c, int beam)
    {
        long count = c.Scores.shape[1];
        var ends = c.Tokens.eq(SpecialTokens.Eos).logical_and(c.Scores.isfinite());
        var rank = ends.to_type(ScalarType.Int64) * count + torch.arange(count, device: c.Scores.device);
        var pick = rank.topk(beam, 1, largest: false).indexes;
        var tokens = c.Tokens.gather(1, pick);
        var scores = c.Scores.gather(1, pick).masked_fill(tokens.eq(SpecialTokens.Eos), float.NegativeInfinity);
        return (new Candidates(scores, c.Beams.gather(1, pick), tokens, c.TokenLogProbs.gather(1, pick)), ends.narrow(1, 0, beam));
    }

    /// <summary>[rows] bool marking rows whose sentence reached its max length at this step; null if none.</summary>
    static Tensor? AtMaxLength(List<int> active, SentenceSearch[] sentences, int step, int beam, Device device)
    {
        var atMax = active.Select(s => step >= sentences[s].MaxLength).ToArray();
        if (!atMax.Contains(true)) return null;
        return torch.tensor(atMax, device: device).repeat_interleave(beam);
    }

    /// <summary>Moves a tensor carried to the next step out of the step's scope and frees the one it replaces.</summary>
    static void Replace(ref Tensor carried, Tensor next)
    {
        var old = carried;
        carried = next.MoveToOuterDisposeScope();
        old.Dispose();
    }
}
