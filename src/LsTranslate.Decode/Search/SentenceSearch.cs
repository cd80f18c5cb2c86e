namespace LsTranslate.Decode.Search;

/// <summary>
/// One sentence's search record on the host: back-pointers of its open hypotheses per step (so a finished
/// hypothesis is rebuilt without keeping token tensors), and its best finished hypotheses, at most
/// <see cref="keep"/>, sorted best first and distinct.
/// </summary>
sealed class SentenceSearch(SearchOptions options, int maxLength)
{
    /// <summary>Finished hypotheses kept: the n-best, or the whole beam when it decides when to stop.</summary>
    readonly int keep = options.Stopping != BeamStopping.Exact && !options.Sampling && !options.IsGreedy ? Math.Max(options.Beam, options.NBest) : options.NBest;

    readonly List<int[]> parents = [];
    readonly List<int[]> tokens = [];
    readonly List<float[]> tokenLogProbs = [];
    readonly List<FinishedHypothesis> finished = [];

    public int MaxLength => maxLength;
    public IReadOnlyList<FinishedHypothesis> Finished => finished;

    /// <summary>Adds the hypothesis "open beam <paramref name="beam"/> after the last recorded step, then EOS".</summary>
    public void Finish(int beam, float logProb, float eosLogProb)
    {
        var ids = new int[tokens.Count];
        var pieces = new float[tokens.Count + 1];
        pieces[^1] = eosLogProb;
        for (int step = tokens.Count - 1; step >= 0; step--)
        {
            ids[step] = tokens[step][beam];
            pieces[step] = tokenLogProbs[step][beam];
            beam = parents[step][beam];
        }
        var score = logProb / options.Penalty(ids.Length + 1);
        if (finished.Count == keep && score <= finished[^1].Score) return;
        if (finished.Any(h => h.Tokens.AsSpan().SequenceEqual(ids))) return; // samples can repeat
        int at = finished.FindIndex(h => h.Score < score);
        finished.Insert(at < 0 ? finished.Count : at, new FinishedHypothesis(ids, score, logProb, pieces));
        if (finished.Count > keep) finished.RemoveAt(keep);
    }

    /// <summary>Records which open hypothesis each new open hypothesis extends, with which token and that token's log-probability.</summary>
    public void Advance(int[] parentBeams, int[] newTokens, float[] newTokenLogProbs)
    {
        parents.Add(parentBeams);
        tokens.Add(newTokens);
        tokenLogProbs.Add(newTokenLogProbs);
    }

    /// <summary>
    /// Whether search of this sentence is over after <paramref name="step"/>, given the best summed
    /// log-probability among its open hypotheses (−∞: none left) and among all of this step's candidates,
    /// ending ones included. See BeamSearch for the rules.
    /// </summary>
    public bool IsDone(int step, float bestOpen, float bestCandidate)
    {
        if (float.IsNegativeInfinity(bestOpen) || step >= maxLength) return true;
        if (finished.Count < keep || options.Sampling) return false;
        if (options.IsGreedy || options.Stopping == BeamStopping.Beam) return true;
        // Hugging Face's heuristic: the best candidate as if it ended at this step's length.
        if (options.Stopping == BeamStopping.HuggingFace) return finished[^1].Score >= bestCandidate / options.Penalty(step + 1);
        // Log-probabilities only fall, so an open hypothesis ends with at most bestOpen, at a length
        // from step+2 to maxLength+1 scored tokens; bestOpen ≤ 0, so the largest penalty bounds it best.
        var largestPenalty = Math.Max(options.Penalty(step + 2), options.Penalty(maxLength + 1));
        return bestOpen / largestPenalty <= finished[^1].Score;
    }
}
