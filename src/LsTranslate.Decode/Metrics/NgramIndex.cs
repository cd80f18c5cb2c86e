using System.Runtime.InteropServices;

namespace LsTranslate.Decode.Metrics;

/// <summary>
/// Gives every distinct n-gram of one sentence (and its references) a dense id, built like a trie:
/// the id of (w1..wn) is looked up from the id of (w1..wn-1) and the token wn. Exact (no hashing of
/// strings, no collisions) and allocation-free once warm. Ids start at 1; 0 is the empty prefix.
/// Also keeps per-id count slots so callers can count without their own maps.
/// </summary>
sealed class NgramIndex
{
    readonly Dictionary<ulong, int> _ids = [];
    int[] _slot = new int[1024];

    /// <summary>Number of ids handed out (the largest id).</summary>
    public int Count => _ids.Count;

    /// <summary>The group (order) an id was created for; set by <see cref="IdOf"/>.</summary>
    public int SlotOf(int id) => _slot[id];

    public void Clear() => _ids.Clear();

    public int IdOf(int prefixId, int token, int slot)
    {
        ulong key = ((ulong)(uint)prefixId << 32) | (uint)token;
        ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, key, out bool exists);
        if (!exists)
        {
            id = _ids.Count;
            if (id >= _slot.Length) Array.Resize(ref _slot, _slot.Length * 2);
            _slot[id] = slot;
        }
        return id;
    }
}

/// <summary>A count per n-gram id that can be reset in time proportional to what was counted.</summary>
sealed class NgramCounts
{
    int[] _counts = new int[1024];
    readonly List<int> _touched = [];

    public IReadOnlyList<int> Touched => _touched;

    public int this[int id] => id < _counts.Length ? _counts[id] : 0;

    public void Add(int id)
    {
        if (id >= _counts.Length) Array.Resize(ref _counts, Math.Max(_counts.Length * 2, id + 1));
        if (_counts[id]++ == 0) _touched.Add(id);
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
