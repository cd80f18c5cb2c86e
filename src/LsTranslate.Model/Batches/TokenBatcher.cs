using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Batches;

/// <summary>
/// Token-budget batching. Each epoch the pairs are shuffled, cut into pools, sorted by length inside each
/// pool and cut greedily (<see cref="LengthBatches"/>) into batches whose padded size count × max(source length, target
/// length + 1) stays within maxTokens (a pair too long for the budget gets a batch of its own); the batches are then
/// shuffled. Everything random comes from System.Random(seed * 1000 + epoch), so a plan is reproducible.
/// </summary>
public sealed class TokenBatcher
{
    // Sorting within pools rather than the whole corpus keeps batches varied between epochs.
    private const int PoolSize = 4096;
    private readonly IReadOnlyList<EncodedPair> _pairs;
    private readonly int _maxTokens;
    private readonly int _seed;

    public TokenBatcher(IReadOnlyList<EncodedPair> pairs, int maxTokens, int seed)
    {
        if (maxTokens < 1)
            throw new InputError($"the token budget per batch must be positive, got {maxTokens}");
        _pairs = pairs;
        _maxTokens = maxTokens;
        _seed = seed;
    }

    /// <summary>Positions of a pair in a padded batch: the longer of source and target-plus-BOS/EOS.</summary>
    private int Width(int index) => Math.Max(_pairs[index].Source.Length, _pairs[index].Target.Length + 1);

    public IReadOnlyList<int[]> EpochPlan(int epoch)
    {
        var random = new Random(unchecked(_seed * 1000 + epoch));
        var order = Enumerable.Range(0, _pairs.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>();
        foreach (var pool in order.Chunk(PoolSize))
        {
            var sorted = pool.OrderBy(Width).ThenBy(i => _pairs[i].Source.Length).ThenBy(i => i);
            batches.AddRange(LengthBatches.Cut(sorted, Width, _maxTokens));
        }
        var plan = batches.ToArray();
        random.Shuffle(plan);
        return plan;
    }

    /// <param name="dropoutSeed">the seed the batch's dropout draws from (<see cref="TokenBatch.DropoutSeed"/>).</param>
    public TokenBatch Make(int[] pairIndices, long? dropoutSeed = null)
    {
        var pairs = pairIndices.Select(i => _pairs[i]).ToArray();
        int sourceWidth = pairs.Max(p => p.Source.Length);
        int targetWidth = pairs.Max(p => p.Target.Length) + 1;
        var source = new long[pairs.Length * sourceWidth];
        var targetIn = new long[pairs.Length * targetWidth];
        var targetOut = new long[pairs.Length * targetWidth];
        var realTargets = new long[pairs.Sum(p => p.Target.Length + 1)];
        int real = 0;
        for (int row = 0; row < pairs.Length; row++)
        {
            var (src, tgt) = (pairs[row].Source, pairs[row].Target);
            for (int i = 0; i < src.Length; i++)
                source[row * sourceWidth + i] = src[i];
            targetIn[row * targetWidth] = SpecialTokens.Bos;
            for (int i = 0; i < tgt.Length; i++)
            {
                targetIn[row * targetWidth + i + 1] = tgt[i];
                targetOut[row * targetWidth + i] = tgt[i];
            }
            targetOut[row * targetWidth + tgt.Length] = SpecialTokens.Eos;
            for (int i = 0; i <= tgt.Length; i++) realTargets[real++] = row * targetWidth + i;
        }
        return new TokenBatch(
            tensor(source, [pairs.Length, sourceWidth]),
            tensor(targetIn, [pairs.Length, targetWidth]),
            tensor(targetOut, [pairs.Length, targetWidth]),
            tensor(realTargets)) { DropoutSeed = dropoutSeed };
    }

    /// <summary>The batch's target tokens, EOS included, without making it: every rank knows the whole update's count.</summary>
    public int TargetTokens(int[] pairIndices) => pairIndices.Sum(i => _pairs[i].Target.Length + 1);
}
