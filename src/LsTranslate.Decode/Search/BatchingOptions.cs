using LsTranslate.Model;
using static LsTranslate.Model.OptionField;

namespace LsTranslate.Decode.Search;

/// <summary>
/// How a stream of lines is cut into work. Lines are read <see cref="ChunkLines"/> at a time (memory stays
/// bounded, results come out chunk by chunk); inside a chunk they are sorted by source length and cut into
/// batches of at most <see cref="BatchSize"/> sentences and, when <see cref="MaxTokens"/> &gt; 0, at most
/// that many padded source tokens. A source longer than <see cref="MaxInputTokens"/> (0: the model's positions) is
/// cropped to it rather than failing the stream.
/// </summary>
public sealed record BatchingOptions
{
    public int BatchSize { get; init; } = 32;
    public int MaxTokens { get; init; }
    public int ChunkLines { get; init; } = 2000;
    public int MaxInputTokens { get; init; }

    public BatchingOptions Validate()
    {
        if (BatchSize < 1) throw new InvalidOption($"{Option(nameof(BatchSize))} must be at least 1, got {BatchSize}");
        if (MaxTokens < 0) throw new InvalidOption($"{Option(nameof(MaxTokens))} must be ≥ 0 (0: no limit), got {MaxTokens}");
        if (MaxInputTokens < 0) throw new InvalidOption($"{Option(nameof(MaxInputTokens))} must be ≥ 0 (0: the model's positions), got {MaxInputTokens}");
        if (ChunkLines < 1) throw new InputError($"the chunk size must be at least 1 line, got {ChunkLines}");
        return this;
    }
}
