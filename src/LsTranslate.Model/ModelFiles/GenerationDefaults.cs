namespace LsTranslate.Model.ModelFiles;

/// <summary>
/// How a model imported from Hugging Face decodes unless decode's flags say otherwise: its generation_config.json, in
/// the terms of transformers' generate (beam search with hypothesis score Σ log p / |y|^α, |y| the generated tokens with
/// EOS; the start token counts toward <see cref="MaxLength"/>; a sentence ends by Hugging Face's own stopping rule).
/// </summary>
public sealed record GenerationDefaults
{
    public int Beam { get; init; } = 1;
    public double LengthPenalty { get; init; } = 1.0;
    /// <summary>Hugging Face's max_length: the decoder's start token, the output and EOS together.</summary>
    public int MaxLength { get; init; } = 20;
    /// <summary>Log-softmax again after the banned tokens are removed (renormalize_logits).</summary>
    public bool Renormalize { get; init; }
    /// <summary>Stop a sentence at `beam` finished hypotheses (early_stopping: true) instead of by Hugging Face's bound.</summary>
    public bool EarlyStopping { get; init; }
    public int NoRepeatNgram { get; init; }
}
