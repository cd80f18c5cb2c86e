namespace LsTranslate.Metrics;

/// <summary>
/// The random stream of numpy's <c>np.random.default_rng(seed)</c> (numpy ≥ 1.17): the seed hashed by SeedSequence
/// into a PCG64 generator (128-bit LCG, XSL-RR output), and bounded integers drawn as <c>Generator.integers</c> and
/// <c>Generator.choice(n, replace=True)</c> draw them. sacreBLEU's paired bootstrap draws its resamples from this stream,
/// so drawing ours from it too makes our intervals and p-values sacreBLEU's to the last digit.
/// </summary>
public sealed class NumpyRandom
{
    static readonly UInt128 Multiplier = new(0x2360ed051fc65da4UL, 0x4385df649fccf645UL);

    UInt128 state;
    readonly UInt128 increment;
    // PCG64 hands out 32-bit draws as halves of one 64-bit output, the low half first.
    uint? heldHalf;

    public NumpyRandom(long seed)
    {
        if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "numpy's SeedSequence takes non-negative seeds");
        var words = SeedSequenceState(seed, 8);
        ulong Word64(int i) => words[2 * i] | (ulong)words[2 * i + 1] << 32;
        var initialState = new UInt128(Word64(0), Word64(1));
        var sequence = new UInt128(Word64(2), Word64(3));
        increment = sequence << 1 | 1;
        Step();
        state += initialState;
        Step();
    }

    void Step() => state = state * Multiplier + increment;

    /// <summary>The next raw 64-bit output (<c>bit_generator.random_raw()</c>).</summary>
    public ulong NextUInt64()
    {
        Step();
        ulong high = (ulong)(state >> 64), low = (ulong)state;
        return ulong.RotateRight(high ^ low, (int)(high >> 58));
    }

    uint NextUInt32()
    {
        if (heldHalf is { } half)
        {
            heldHalf = null;
            return half;
        }
        ulong next = NextUInt64();
        heldHalf = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>
    /// An integer in [0, <paramref name="bound"/>): <c>integers(0, bound)</c>, by Lemire's multiply-and-reject on 32-bit
    /// draws as numpy does for ranges below 2³². A bound of 1 draws nothing, as in numpy.
    /// </summary>
    public int Below(int bound)
    {
        if (bound < 1) throw new ArgumentOutOfRangeException(nameof(bound), bound, "the bound must be positive");
        if (bound == 1) return 0;
        uint range = (uint)bound;
        ulong product = (ulong)NextUInt32() * range;
        uint leftover = (uint)product;
        if (leftover < range)
        {
            uint threshold = (uint.MaxValue - (range - 1)) % range;
            while (leftover < threshold)
            {
                product = (ulong)NextUInt32() * range;
                leftover = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>
    /// The <paramref name="count"/> booleans of one <c>integers(2, size=count, dtype=bool)</c> call, as the 32-bit draws
    /// numpy takes them from (buffered_bounded_bool): boolean k is bit k mod 32 of word k / 32.
    /// </summary>
    public uint[] BooleanWords(long count)
    {
        var words = new uint[(count + 31) / 32];
        for (long i = 0; i < words.Length; i++) words[i] = NextUInt32();
        return words;
    }

    /// <summary>SeedSequence(seed).generate_state(count, uint32): the seed's words mixed into a pool of four, then drawn from it.</summary>
    static uint[] SeedSequenceState(long seed, int count)
    {
        const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
        const uint MixLeft = 0xca01f9dd, MixRight = 0x4973f715;
        const int PoolSize = 4, XShift = 16;
        uint[] entropy = (ulong)seed >> 32 == 0 ? [(uint)seed] : [(uint)seed, (uint)((ulong)seed >> 32)];
        uint hashConstant = InitA;
        uint HashMix(uint value)
        {
            value ^= hashConstant;
            hashConstant *= MultA;
            value *= hashConstant;
            return value ^ value >> XShift;
        }
        static uint Mix(uint x, uint y)
        {
            uint result = MixLeft * x - MixRight * y;
            return result ^ result >> XShift;
        }
        var pool = new uint[PoolSize];
        for (int i = 0; i < PoolSize; i++) pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0);
        for (int source = 0; source < PoolSize; source++)
            for (int target = 0; target < PoolSize; target++)
                if (source != target) pool[target] = Mix(pool[target], HashMix(pool[source]));
        var words = new uint[count];
        uint hashB = InitB;
        for (int i = 0; i < count; i++)
        {
            uint word = pool[i % PoolSize] ^ hashB;
            hashB *= MultB;
            word *= hashB;
            words[i] = word ^ word >> XShift;
        }
        return words;
    }
}
