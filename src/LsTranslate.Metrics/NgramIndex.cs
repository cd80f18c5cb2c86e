using System.Runtime.CompilerServices;

namespace LsTranslate.Metrics;

/// <summary>
/// Gives every distinct n-gram of one sentence (and its references) a dense id, built like a trie:
/// the id of (w1..wn) is looked up from the id of (w1..wn-1) and the token wn. Exact (no hashing of
/// strings, no collisions) and allocation-free once warm. Ids start at 1; 0 is the empty prefix.
/// Also keeps per-id count slots so callers can count without their own maps.
/// </summary>
sealed class NgramIndex
{
    // Open addressing with a generation stamp per slot: clearing between sentences is O(1), where a
    // Dictionary would wipe all of its (possibly large) arrays every sentence.
    ulong[] _keys = new ulong[1024];
    int[] _values = new int[1024];
    int[] _stamps = new int[1024];
    int _generation = 1;
    int[] _slot = new int[1024];

    /// <summary>Number of ids handed out (the largest id).</summary>
    public int Count { get; private set; }

    /// <summary>The group (order) an id was created for; set by <see cref="IdOf"/>.</summary>
    public int SlotOf(int id) => _slot[id];

    public void Clear()
    {
        Count = 0;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
    }

    /// <summary>The id of (prefix, token), given one now if it is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IdOf(int prefixId, int token, int slot)
    {
        ulong key = Key(prefixId, token);
        int i = Probe(key, out bool found);
        if (found) return _values[i];
        int id = ++Count;
        _keys[i] = key;
        _values[i] = id;
        _stamps[i] = _generation;
        if (id >= _slot.Length) Array.Resize(ref _slot, _slot.Length * 2);
        _slot[id] = slot;
        if (Count * 2 > _keys.Length) Grow();
        return id;
    }

    /// <summary>The id of (prefix, token) if it has one, else 0: what a reference needs, since only n-grams the
    /// hypothesis has can match, and no extension of an n-gram it lacks is there either.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(int prefixId, int token)
    {
        int i = Probe(Key(prefixId, token), out bool found);
        return found ? _values[i] : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Key(int prefixId, int token) => ((ulong)(uint)prefixId << 32) | (uint)token;

    /// <summary>The slot that holds <paramref name="key"/>, or the free slot where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int Probe(ulong key, out bool found)
    {
        int mask = _keys.Length - 1;
        int i = Hash(key) & mask;
        while (_stamps[i] == _generation)
        {
            if (_keys[i] == key)
            {
                found = true;
                return i;
            }
            i = (i + 1) & mask;
        }
        found = false;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Hash(ulong key)
    {
        key *= 0x9E3779B97F4A7C15;
        return (int)(key >> 32) ^ (int)key;
    }

    void Grow()
    {
        var (keys, values, stamps, generation) = (_keys, _values, _stamps, _generation);
        _keys = new ulong[keys.Length * 2];
        _values = new int[keys.Length * 2];
        _stamps = new int[keys.Length * 2];
        _generation = 1;
        int mask = _keys.Length - 1;
        for (int j = 0; j < keys.Length; j++)
        {
            if (stamps[j] != generation) continue;
            int i = Hash(keys[j]) & mask;
            while (_stamps[i] == _generation) i = (i + 1) & mask;
            (_keys[i], _values[i], _stamps[i]) = (keys[j], values[j], _generation);
        }
    }
}

/// <summary>A count per n-gram id that can be reset in time proportional to what was counted.</summary>
sealed class NgramCounts
{
    int[] _counts = new int[1024];
    readonly List<int> _touched = [];

    public IReadOnlyList<int> Touched => _touched;

    public int this[int id]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => id < _counts.Length ? _counts[id] : 0;
    }

    /// <summary>Counts one more of <paramref name="id"/>; returns its count now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(int id)
    {
        if (id >= _counts.Length) Array.Resize(ref _counts, Math.Max(_counts.Length * 2, id + 1));
        if (_counts[id] == 0) _touched.Add(id);
        return ++_counts[id];
    }

    public void Set(int id, int value)
    {
        if (id >= _counts.Length) Array.Resize(ref _counts, Math.Max(_counts.Length * 2, id + 1));
        if (_counts[id] == 0 && value != 0) _touched.Add(id);
        _counts[id] = value;
    }

    public void Clear()
    {
        foreach (int id in _touched) _counts[id] = 0;
        _touched.Clear();
    }
}
