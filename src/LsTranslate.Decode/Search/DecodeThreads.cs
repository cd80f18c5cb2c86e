using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// How many threads a batch decodes on. libgomp's threads sleep between parallel regions (OMP_WAIT_POLICY=PASSIVE, as
/// ./lstranslate sets it), so every product of a decoder step wakes the others: at a few rows per step the wake-ups
/// cost more than the extra cores give (bench/decode-throughput on 2 cores: beam 4 for one sentence took 4.6 ms per
/// step on 2 threads, 2.9 on 1; greedy at batch 32, whose steps average 16 rows, ran at 2,000 target tokens/s on 2
/// threads and 2,500 on 1; beam 4 at batch 32 the same on both). A batch of fewer than
/// <see cref="RowsForAllThreads"/> rows (sentences × beam) runs on one thread; larger ones on the threads the process
/// was given.
/// </summary>
static class DecodeThreads
{
    public const int RowsForAllThreads = 128;

    /// <summary>One thread until disposed when <paramref name="rows"/> is small, else nothing changes.</summary>
    public static IDisposable For(long rows)
    {
        int threads = get_num_threads();
        if (rows >= RowsForAllThreads || threads == 1) return NoChange.Instance;
        set_num_threads(1);
        return new Restore(threads);
    }

    sealed class Restore(int threads) : IDisposable
    {
        public void Dispose() => set_num_threads(threads);
    }

    sealed class NoChange : IDisposable
    {
        public static readonly NoChange Instance = new();
        public void Dispose() { }
    }
}
