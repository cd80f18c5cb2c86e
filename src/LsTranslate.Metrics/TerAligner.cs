namespace LsTranslate.Metrics;

/// <summary>
/// sacreBLEU's Tercom re-implementation (lib_ter.py): greedy block shifts, each chosen as the one that
/// lowers a beam-limited word edit distance the most (ties: longer, earlier, earlier target), until no
/// shift helps or 1000 candidates were tried. Edit distances of shift candidates reuse the rows of the
/// unshifted hypothesis they share, which gives the same numbers as sacreBLEU's prefix cache.
/// </summary>
sealed class TerAligner
{
    const int MaxShiftSize = 10, MaxShiftDistance = 50, BeamWidth = 25, MaxShiftCandidates = 1000;
    const long Infinity = 10_000_000_000_000_000;
    const byte Nop = 0, Sub = 1, Ins = 2, Del = 3, Undefined = 4;

    long[][] _baseCost = [], _scratchCost = [], _cost = [];
    byte[][] _baseOps = [], _scratchOps = [], _ops = [];

    /// <summary>The number of edits (shifts included) that turn <paramref name="hyp"/> into <paramref name="reference"/>.</summary>
    public long Edits(int[] hyp, int[] reference)
    {
        if (reference.Length == 0) return hyp.Length;
        Allocate(hyp.Length, reference.Length);
        int shifts = 0, checkedCandidates = 0;
        var input = hyp;
        while (true)
        {
            var (delta, shifted) = BestShift(input, reference, ref checkedCandidates);
            if (checkedCandidates >= MaxShiftCandidates || delta <= 0) break;
            shifts++;
            input = shifted;
        }
        return shifts + Fill(input, reference, _baseCost, _baseOps, shared: 0);
    }

    void Allocate(int n, int m)
    {
        if (_baseCost.Length >= n + 1 && _baseCost[0].Length >= m + 1)
            return;
        int rows = Math.Max(n + 1, _baseCost.Length), cols = Math.Max(m + 1, _baseCost.Length == 0 ? 0 : _baseCost[0].Length);
        _baseCost = NewRows<long>(rows, cols); _scratchCost = NewRows<long>(rows, cols); _cost = new long[rows][];
        _baseOps = NewRows<byte>(rows, cols); _scratchOps = NewRows<byte>(rows, cols); _ops = new byte[rows][];
    }

    static T[][] NewRows<T>(int rows, int cols) => Enumerable.Range(0, rows).Select(_ => new T[cols]).ToArray();

    (long Delta, int[] Shifted) BestShift(int[] words, int[] reference, ref int checkedSoFar)
    {
        int checkedCandidates = checkedSoFar;
        int n = words.Length, m = reference.Length;
        long preScore = Fill(words, reference, _baseCost, _baseOps, shared: 0);
        var (align, refErr, hypErr) = Alignment(n, m);

        long bestDelta = 0;
        int bestLength = 0, bestStart = 0, bestTarget = 0;
        int[]? best = null;
        for (int startH = 0; startH < n && checkedCandidates < MaxShiftCandidates; startH++)
        {
            for (int startR = 0; startR < m && checkedCandidates < MaxShiftCandidates; startR++)
            {
                if (Math.Abs(startR - startH) > MaxShiftDistance) continue;
                for (int length = 1; length <= MaxShiftSize && words[startH + length - 1] == reference[startR + length - 1]; length++)
                {
                    TryShift(startH, startR, length);
                    if (checkedCandidates >= MaxShiftCandidates) break;
                    if (startH + length == n || startR + length == m) break;
                }
            }
        }
        checkedSoFar = checkedCandidates;
        return best == null ? (0, words) : (bestDelta, best);

        void TryShift(int startH, int startR, int length)
        {
            if (!AnyError(hypErr, startH, length) || !AnyError(refErr, startR, length)) return;
            if (startH <= align[startR] && align[startR] < startH + length) return;
            int previous = -1;
            for (int offset = -1; offset < length; offset++)
            {
                int target;
                if (startR + offset == -1) target = 0;
                else if (startR + offset < m) target = align[startR + offset] + 1;
                else break;
                if (target == previous) continue;
                previous = target;

                var shifted = PerformShift(words, startH, length, target);
                int shared = Math.Min(startH, target);
                for (int i = 0; i <= n; i++)
                {
                    bool reuse = i <= shared;
                    _cost[i] = reuse ? _baseCost[i] : _scratchCost[i];
                    _ops[i] = reuse ? _baseOps[i] : _scratchOps[i];
                }
                long delta = preScore - Fill(shifted, reference, _cost, _ops, shared);
                checkedCandidates++;
                if (best == null || (delta, length, -startH, -target).CompareTo((bestDelta, bestLength, -bestStart, -bestTarget)) > 0)
                    (best, bestDelta, bestLength, bestStart, bestTarget) = (shifted, delta, length, startH, target);
            }
        }
    }

    static bool AnyError(int[] errors, int start, int length)
    {
        for (int i = start; i < Math.Min(errors.Length, start + length); i++)
            if (errors[i] != 0) return true;
        return false;
    }

    /// <summary>Moves words[start..start+length) before position target, with Python's slice clamping.</summary>
    static int[] PerformShift(int[] words, int start, int length, int target)
    {
        var result = new List<int>(words.Length);
        if (target < start)
        {
            result.AddRange(Slice(words, 0, target)); result.AddRange(Slice(words, start, start + length));
            result.AddRange(Slice(words, target, start)); result.AddRange(Slice(words, start + length, words.Length));
        }
        else if (target > start + length)
        {
            result.AddRange(Slice(words, 0, start)); result.AddRange(Slice(words, start + length, target));
            result.AddRange(Slice(words, start, start + length)); result.AddRange(Slice(words, target, words.Length));
        }
        else
        {
            result.AddRange(Slice(words, 0, start)); result.AddRange(Slice(words, start + length, length + target));
            result.AddRange(Slice(words, start, start + length)); result.AddRange(Slice(words, length + target, words.Length));
        }
        return [.. result];
    }

    static ArraySegment<int> Slice(int[] words, int from, int to)
    {
        from = Math.Clamp(from, 0, words.Length);
        to = Math.Clamp(to, from, words.Length);
        return new ArraySegment<int>(words, from, to - from);
    }

    /// <summary>
    /// The beam-limited edit distance matrix of <paramref name="hyp"/> (rows) against the reference
    /// (columns); rows 0..<paramref name="shared"/> are already in place. Returns the distance.
    /// </summary>
    static long Fill(int[] hyp, int[] reference, long[][] cost, byte[][] ops, int shared)
    {
        int n = hyp.Length, m = reference.Length;
        if (shared == 0)
        {
            for (int j = 0; j <= m; j++) { cost[0][j] = j; ops[0][j] = Ins; }
        }
        double ratio = n > 0 ? (double)m / n : 1;
        int beam = BeamWidth < ratio / 2 ? (int)Math.Ceiling(ratio / 2 + BeamWidth) : BeamWidth;
        for (int i = shared + 1; i <= n; i++)
        {
            long[] row = cost[i], above = cost[i - 1];
            byte[] rowOps = ops[i];
            Array.Fill(row, Infinity, 0, m + 1);
            Array.Fill(rowOps, Undefined, 0, m + 1);
            int diagonal = (int)Math.Floor(i * ratio);
            int minJ = Math.Max(0, diagonal - beam);
            int maxJ = i == n ? m + 1 : Math.Min(m + 1, diagonal + beam);
            for (int j = minJ; j < maxJ; j++)
            {
                if (j == 0)
                {
                    row[0] = above[0] + 1;
                    rowOps[0] = Del;
                    continue;
                }
                bool same = hyp[i - 1] == reference[j - 1];
                long best = Infinity;
                byte op = Undefined;
                long viaSub = above[j - 1] + (same ? 0 : 1);
                if (best > viaSub) { best = viaSub; op = same ? Nop : Sub; }
                long viaDel = above[j] + 1;
                if (best > viaDel) { best = viaDel; op = Del; }
                long viaIns = row[j - 1] + 1;
                if (best > viaIns) { best = viaIns; op = Ins; }
                row[j] = best;
                rowOps[j] = op;
            }
        }
        return cost[n][m];
    }

    /// <summary>
    /// sacreBLEU's trace_to_alignment of the flipped trace of the base matrix: for each reference
    /// position the hypothesis position it aligns to, and which positions on each side are errors.
    /// </summary>
    (int[] Align, int[] RefErr, int[] HypErr) Alignment(int n, int m)
    {
        var trace = new List<byte>();
        int i = n, j = m;
        while (i > 0 || j > 0)
        {
            byte op = _baseOps[i][j];
            trace.Add(op);
            switch (op)
            {
                case Nop or Sub: i--; j--; break;
                case Ins: j--; break;
                case Del: i--; break;
                default: throw new InvalidOperationException("TER trace reached an unfilled cell");
            }
        }
        trace.Reverse();
        var align = new int[m];
        var refErr = new int[m];
        var hypErr = new int[n];
        int posHyp = -1, posRef = -1;
        foreach (byte op in trace)
        {
            // Flipped: our deletions (hypothesis words) are the inverse trace's insertions and vice versa.
            switch (op)
            {
                case Nop or Sub:
                    posHyp++; posRef++;
                    align[posRef] = posHyp;
                    int error = op == Sub ? 1 : 0;
                    hypErr[posHyp] = error; refErr[posRef] = error;
                    break;
                case Del:
                    posHyp++;
                    hypErr[posHyp] = 1;
                    break;
                case Ins:
                    posRef++;
                    align[posRef] = posHyp;
                    refErr[posRef] = 1;
                    break;
            }
        }
        return (align, refErr, hypErr);
    }
}
