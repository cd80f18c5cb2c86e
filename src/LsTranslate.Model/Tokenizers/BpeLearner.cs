namespace LsTranslate.Model.Tokenizers;

/// <summary>
/// Learns byte-level BPE merges. Word frequencies are counted once; each merge then updates pair counts
/// only in the words that contain the merged pair (pair → words index) and picks the next pair from a
/// priority queue with lazily dropped stale entries. Ties go to the smaller (left id, right id), so the
/// result depends on the texts alone.
/// </summary>
internal static class BpeLearner
{
    public static BpeModel Learn(IEnumerable<string> texts, int vocabSize)
    {
        if (vocabSize < BpeModel.MinVocabSize)
            throw new InputError($"vocabulary size {vocabSize} is too small: it needs at least {BpeModel.MinVocabSize} (4 special tokens + 256 bytes)");

        var (words, frequencies) = CountWords(texts);
        var tokens = new List<string>(SpecialTokens.Names);
        tokens.AddRange(ByteLevelAlphabet.CharOfByte.Select(c => c.ToString()));
        var idOfToken = new Dictionary<string, int>();
        for (int id = 0; id < tokens.Count; id++)
            idOfToken[tokens[id]] = id;

        var state = new PairState(words, frequencies);
        var merges = new List<(string, string)>();
        while (tokens.Count < vocabSize && state.TryTakeBest(out long pair))
        {
            var (left, right) = Split(pair);
            string merged = tokens[left] + tokens[right];
            // Two different merges can spell the same string ("ab"+"c", "a"+"bc"): they share one id.
            if (!idOfToken.TryGetValue(merged, out int mergedId))
            {
                mergedId = tokens.Count;
                tokens.Add(merged);
                idOfToken[merged] = mergedId;
            }
            merges.Add((tokens[left], tokens[right]));
            state.Merge(pair, mergedId);
        }
        return new BpeModel(tokens, merges);
    }

    private static (int[][] Words, long[] Frequencies) CountWords(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var pieces = PreTokenization.Pieces();
        foreach (var text in texts)
            foreach (var match in pieces.EnumerateMatches(text))
            {
                var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
                var piece = text.AsSpan(match.Index, match.Length);
                lookup[piece] = lookup.TryGetValue(piece, out long n) ? n + 1 : 1;
            }
        // Sorted so that the word order, and with it everything after, is independent of hashing.
        var sorted = counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var words = sorted.Select(kv => System.Text.Encoding.UTF8.GetBytes(kv.Key).Select(b => b + BpeModel.FirstByteId).ToArray()).ToArray();
        return (words, sorted.Select(kv => kv.Value).ToArray());
    }

    internal static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private static (int Left, int Right) Split(long pair) => ((int)(pair >> 32), (int)pair);

    /// <summary>Symbols of every word, pair counts, which words hold which pair, and the merge queue.</summary>
    private sealed class PairState
    {
        private readonly int[][] _symbols;
        private readonly int[] _lengths;
        private readonly long[] _frequencies;
        private readonly int[] _visitedAt;
        private int _mergeNumber;
        private readonly Dictionary<long, long> _counts = new();
        private readonly Dictionary<long, List<int>> _wordsOf = new();
        private readonly Dictionary<long, long> _delta = new();
        private readonly PriorityQueue<long, (long Count, long Pair)> _queue = new(
            Comparer<(long Count, long Pair)>.Create((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : a.Pair.CompareTo(b.Pair)));

        public PairState(int[][] words, long[] frequencies)
        {
            _symbols = words;
            _lengths = words.Select(w => w.Length).ToArray();
            _frequencies = frequencies;
            _visitedAt = new int[words.Length];
            for (int w = 0; w < words.Length; w++)
                for (int i = 0; i + 1 < words[w].Length; i++)
                {
                    long pair = Key(words[w][i], words[w][i + 1]);
                    _counts[pair] = _counts.GetValueOrDefault(pair) + frequencies[w];
                    Index(pair, w);
                }
            foreach (var (pair, count) in _counts)
                _queue.Enqueue(pair, (count, pair));
        }

        /// <summary>The most frequent pair seen at least twice (merging a pair seen once teaches nothing).</summary>
        public bool TryTakeBest(out long pair)
        {
            while (_queue.TryDequeue(out pair, out var entry))
            {
                if (_counts.GetValueOrDefault(pair) != entry.Count)
                    continue; // stale: the pair's current count was queued again when it changed
                return entry.Count >= 2;
            }
            return false;
        }

        public void Merge(long pair, int mergedId)
        {
            var (left, right) = Split(pair);
            _mergeNumber++;
            _delta.Clear();
            foreach (int w in _wordsOf[pair])
            {
                if (_visitedAt[w] == _mergeNumber)
                    continue;
                _visitedAt[w] = _mergeNumber;
                MergeInWord(w, left, right, mergedId);
            }
            _wordsOf.Remove(pair);
            foreach (var (changed, delta) in _delta)
            {
                if (delta == 0)
                    continue;
                long count = _counts.GetValueOrDefault(changed) + delta;
                if (count > 0)
                {
                    _counts[changed] = count;
                    _queue.Enqueue(changed, (count, changed));
                }
                else
                {
                    _counts.Remove(changed);
                    _wordsOf.Remove(changed);
                }
            }
        }

        private void MergeInWord(int w, int left, int right, int mergedId)
        {
            var symbols = _symbols[w];
            int length = _lengths[w];
            long frequency = _frequencies[w];
            int written = 0;
            bool mergedAny = false;
            for (int i = 0; i < length; i++)
            {
                if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right)
                {
                    if (!mergedAny)
                        AddPairs(symbols, length, -frequency); // the word's old pairs go, its new pairs come back below
                    mergedAny = true;
                    symbols[written++] = mergedId;
                    i++;
                }
                else
                    symbols[written++] = symbols[i];
            }
            if (!mergedAny)
                return; // the index may still list a word whose pair an earlier merge consumed
            _lengths[w] = written;
            AddPairs(symbols, written, frequency);
            for (int i = 0; i + 1 < written; i++)
                if (symbols[i] == mergedId || symbols[i + 1] == mergedId)
                    Index(Key(symbols[i], symbols[i + 1]), w);
        }

        private void AddPairs(int[] symbols, int length, long frequency)
        {
            for (int i = 0; i + 1 < length; i++)
            {
                long pair = Key(symbols[i], symbols[i + 1]);
                _delta[pair] = _delta.GetValueOrDefault(pair) + frequency;
            }
        }

        private void Index(long pair, int w)
        {
            if (!_wordsOf.TryGetValue(pair, out var list))
                _wordsOf[pair] = list = new List<int>();
            if (list.Count == 0 || list[^1] != w)
                list.Add(w);
        }
    }
}
