using System.CommandLine;
using System.CommandLine.Parsing;
using LsTranslate.Model;

namespace LsTranslate.Cli.Arguments;

/// <summary>
/// `decode --shard K/N` (K from 0), for job arrays: this process takes input lines K+1, K+1+N, K+1+2N, … (1-based) and
/// prints one output for each, in their order, as if they were its whole input; scripts/merge-shards.sh interleaves the
/// N outputs back into input order. Indices in n-best lines, the "line" of --token-scores json and the line numbers of
/// reports stay the input's, so merged outputs read as one run's.
/// </summary>
sealed record DecodeShard(int Index, int Count)
{
    public static Option<DecodeShard?> CreateOption() => new("--shard")
    {
        Description = "Translate only input lines K+1, K+1+N, … (K/N, K from 0), one output line each: one shard of a job array",
        CustomParser = Parse,
    };

    static DecodeShard? Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int k) || !int.TryParse(parts[1], out int n) || k < 0)
            result.AddError($"--shard: expected K/N with K from 0 (e.g. 0/4), got '{text}'");
        else if (n < 1)
            result.AddError($"--shard: N must be at least 1, got '{text}'");
        else if (k >= n)
            result.AddError($"--shard: K must be below N (shards 0/{n} to {n - 1}/{n}), got '{text}'");
        else
            return new DecodeShard(k, n);
        return null;
    }

    /// <summary>Whether 0-based input line <paramref name="index"/> is this shard's.</summary>
    public bool Takes(long index) => index % Count == Index;

    /// <summary>The input's 0-based line of this shard's <paramref name="taken"/>-th line.</summary>
    public long InputIndex(long taken) => taken * Count + Index;

    /// <summary>How many of <paramref name="lines"/> input lines are this shard's.</summary>
    public long Taken(long lines) => lines <= Index ? 0 : (lines - Index + Count - 1) / Count;

    /// <summary>Several ranks already split the input among themselves.</summary>
    public static InputError UnderRanks(int ranks) =>
        new($"--shard is for one process per shard (job arrays), but this run has {ranks} MPI ranks, which already share the input: drop --shard or start one process per shard");
}
