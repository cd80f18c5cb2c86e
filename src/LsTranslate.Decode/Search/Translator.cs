using LsTranslate.Model.Native;
using LsTranslate.Model;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Tokenizers;
using LsTranslate.Model.Batches;

namespace LsTranslate.Decode.Search;

/// <summary>
/// Translates a stream of lines: reads a chunk, sorts it by source length, searches it batch by batch,
/// and yields the chunk's results in input order before reading the next chunk.
/// </summary>
public sealed class Translator
{
    readonly ISubwordTokenizer tokenizer;
    readonly BatchingOptions batching;
    readonly BeamSearch search;
    readonly int beam;
    readonly bool withTokenScores;
    readonly Device device;
    readonly int maxInputTokens;
    readonly List<long> firstCropped = [];

    /// <summary>How many lines' sources were cropped to <see cref="MaxInputTokens"/>.</summary>
    public long CroppedCount { get; private set; }

    /// <summary>The first few of them (0-based indices in input order), for the report at the end.</summary>
    public IReadOnlyList<long> FirstCropped => firstCropped;

    public int MaxInputTokens => maxInputTokens;

    /// <param name="tokenScores">also give each hypothesis the probability of each of its pieces (as search scored them).</param>
    public Translator(IIncrementalSeq2Seq model, ISubwordTokenizer tokenizer, SearchOptions options,
        BatchingOptions batching, Device? device = null, bool tokenScores = false)
    {
        withTokenScores = tokenScores;
        if (tokenizer.VocabSize > model.VocabSize)
            throw new InputError($"the tokenizer has {tokenizer.VocabSize} tokens but the model only {model.VocabSize}");
        this.tokenizer = tokenizer;
        this.batching = batching.Validate();
        maxInputTokens = batching.MaxInputTokens == 0 ? model.MaxPositions
            : batching.MaxInputTokens <= model.MaxPositions ? batching.MaxInputTokens
            : throw new InvalidOption($"{OptionField.Option(nameof(BatchingOptions.MaxInputTokens))} {batching.MaxInputTokens} exceeds the model's {model.MaxPositions} positions");
        search = new BeamSearch(model, options);
        beam = options.Beam;
        this.device = device ?? torch.CPU;
    }

    /// <summary>
    /// The translations of <paramref name="lines"/> in input order, chunk by chunk. Each chunk's plan is searched by
    /// <paramref name="searchChunk"/> (the chunk's lines and its plan; it fills the plan's results): by default every
    /// batch here, one after the other; decode over MPI ranks shares the batches out instead.
    /// </summary>
    public IEnumerable<TranslatedLine> Translate(IEnumerable<string> lines, Action<string[], ChunkPlan>? searchChunk = null)
    {
        long first = 0;
        foreach (var chunk in lines.Chunk(batching.ChunkLines))
        {
            var plan = Plan(chunk, first);
            if (searchChunk is null)
                for (int b = 0; b < plan.Batches.Count; b++) Search(plan, b);
            else searchChunk(chunk, plan);
            foreach (var line in plan.Results) yield return line!;
            first += chunk.Length;
        }
    }

    /// <summary>
    /// How one chunk (its first line is line <paramref name="first"/> of the stream, 0-based) is searched: its sources
    /// sorted by length and cut into batches. Lines with no source tokens get their (empty) results here; the others when
    /// their batch is searched. The same chunk always gives the same plan, so every rank of a run can form it alike.
    /// </summary>
    public ChunkPlan Plan(string[] chunk, long first)
    {
        var results = new TranslatedLine?[chunk.Length];
        var sources = new int[chunk.Length][];
        for (int i = 0; i < chunk.Length; i++)
        {
            var ids = chunk[i].Length == 0 ? [] : tokenizer.Encode(chunk[i]);
            if (ids.Length > maxInputTokens)
            {
                ids = ids[..maxInputTokens];
                if (CroppedCount++ < 10) firstCropped.Add(first + i);
            }
            if (ids.Length == 0) results[i] = new TranslatedLine(first + i, [new TranslatedHypothesis("", [], 0, withTokenScores ? [] : null)]);
            else sources[i] = ids; // no source EOS: training batches have none
        }
        var order = Enumerable.Range(0, chunk.Length).Where(i => results[i] is null)
            .OrderByDescending(i => sources[i].Length).ToArray();
        var batches = LengthBatches.Cut(order, i => sources[i].Length, batching.MaxTokens > 0 ? batching.MaxTokens : long.MaxValue, batching.BatchSize);
        return new ChunkPlan(first, sources, batches.ToList(), results);
    }

    /// <summary>Searches batch <paramref name="batch"/> of the plan and returns its lines (also set in <see cref="ChunkPlan.Results"/>).</summary>
    public TranslatedLine[] Search(ChunkPlan plan, int batch)
    {
        var rows = plan.Batches[batch];
        using var scope = torch.NewDisposeScope();
        var sources = rows.Select(i => plan.Sources[i]).ToArray();
        var padded = Padded(sources);
        IReadOnlyList<FinishedHypothesis>[] nbest;
        // No collection while libtorch runs: TorchSharp's temporary scalars die mid-call otherwise (CollectionPause).
        using (DecodeThreads.For(rows.Length * (long)beam))
        using (CollectionPause.Begin())
            nbest = search.Search(padded, [.. sources.Select(source => source.Length)]);
        var lines = new TranslatedLine[rows.Length];
        for (int j = 0; j < rows.Length; j++)
            plan.Results[rows[j]] = lines[j] = new TranslatedLine(plan.First + rows[j], nbest[j].Select(h =>
                new TranslatedHypothesis(OneLine(tokenizer.Decode(h.Tokens)), h.Tokens, h.Score, withTokenScores ? Pieces(h) : null)).ToArray());
        return lines;
    }

    /// <summary>The hypothesis as pieces with the probabilities search gave its tokens.</summary>
    IReadOnlyList<TokenScore> Pieces(FinishedHypothesis hypothesis) =>
        TokenScore.Pieces(tokenizer, hypothesis.Tokens, hypothesis.TokenLogProbs.Select(p => (double)p).ToArray())
            .Select(p => p with { Text = OneLine(p.Text) }).ToList();

    Tensor Padded(int[][] rows)
    {
        int width = rows.Max(r => r.Length);
        var ids = new long[rows.Length * width]; // zero is PAD
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < rows[r].Length; c++) ids[r * width + c] = rows[r][c];
        return torch.tensor(ids, [rows.Length, width], device: device);
    }

    /// <summary>
    /// Byte-level models can emit line breaks; output is one line per input line, so they become spaces
    /// (as marian-decoder and fairseq's interactive mode print one hypothesis per line).
    /// </summary>
    static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\n', '\r') < 0 ? text : text.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
}

/// <summary>
/// One chunk's batches (<see cref="Translator.Plan"/>): each is a run of indices into the chunk, longest source first;
/// <see cref="Results"/> in chunk order, null until the line's batch is searched.
/// </summary>
public sealed class ChunkPlan
{
    internal ChunkPlan(long first, int[][] sources, IReadOnlyList<int[]> batches, TranslatedLine?[] results) =>
        (First, Sources, Batches, Results) = (first, sources, batches, results);

    public long First { get; }
    internal int[][] Sources { get; }
    public IReadOnlyList<int[]> Batches { get; }
    public TranslatedLine?[] Results { get; }
}
