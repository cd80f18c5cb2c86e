using LsTranslate.Model;
using LsTranslate.Model.Training;
using static LsTranslate.Model.OptionField;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Decode.Search;

public enum LengthPenaltyStyle
{
    /// <summary>GNMT (Wu et al. 2016): ((5 + |y|) / 6)^α.</summary>
    Gnmt,
    /// <summary>fairseq: |y|^α.</summary>
    Fairseq,
}

/// <summary>When beam search ends a sentence.</summary>
public enum BeamStopping
{
    /// <summary>Once it has `beam` finished hypotheses (fairseq's rule: fast, what peers do).</summary>
    Beam,
    /// <summary>Only when no open hypothesis can still beat the kept ones (exact within the beam, but with a growing
    /// length penalty it searches to the maximum length far more often).</summary>
    Exact,
    /// <summary>Hugging Face's (early_stopping: false): with `beam` finished, once the worst of them is at least the best
    /// candidate's summed log-probability over (tokens generated so far, this one included)^α.</summary>
    HuggingFace,
}

/// <summary>
/// Everything that changes what search returns. |y| counts the scored target tokens, EOS included
/// (fairseq's convention); the max/min lengths count output tokens, EOS excluded.
/// </summary>
public sealed record SearchOptions
{
    /// <summary>Open hypotheses per sentence; 1 is greedy decoding. With sampling: samples per sentence.</summary>
    public int Beam { get; init; } = 4;
    public double LengthPenalty { get; init; } = 0.6;
    public LengthPenaltyStyle LengthPenaltyStyle { get; init; } = LengthPenaltyStyle.Gnmt;
    /// <summary>Hypotheses returned per sentence, best first, distinct.</summary>
    public int NBest { get; init; } = 1;
    /// <summary>Logits are divided by T before the log-softmax: it changes both the scores and the search.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Max output length a·|x| + b (|x|: source tokens as fed to the encoder).</summary>
    public double MaxLenA { get; init; } = 1.2;
    public int MaxLenB { get; init; } = 10;
    public int MinLen { get; init; }
    /// <summary>No n-gram of this size appears twice in an output; 0 is off.</summary>
    public int NoRepeatNgram { get; init; }
    public BeamStopping Stopping { get; init; } = BeamStopping.Beam;
    /// <summary>Log-softmax again after the constraints, over the tokens they leave (Hugging Face's renormalize_logits).</summary>
    public bool Renormalize { get; init; }
    public bool Sampling { get; init; }
    /// <summary>With sampling: draw only from the k most likely tokens; 0 is off.</summary>
    public int TopK { get; init; }
    /// <summary>With sampling: draw only from the smallest set of tokens whose probability reaches p; 1 is off.</summary>
    public double TopP { get; init; } = 1.0;
    public ulong Seed { get; init; } = 1;

    public bool IsGreedy => Beam == 1;

    /// <summary>
    /// The search Hugging Face's generate runs with these defaults: |y|^α over the generated tokens with EOS, at most
    /// max_length − 1 generated tokens (its start token counts), its stopping rule.
    /// </summary>
    public static SearchOptions From(GenerationDefaults generation) => new()
    {
        Beam = generation.Beam,
        LengthPenalty = generation.LengthPenalty,
        LengthPenaltyStyle = LengthPenaltyStyle.Fairseq,
        MaxLenA = 0,
        MaxLenB = generation.MaxLength - 2,
        Renormalize = generation.Renormalize,
        Stopping = generation.EarlyStopping ? BeamStopping.Beam : BeamStopping.HuggingFace,
        NoRepeatNgram = generation.NoRepeatNgram,
    };

    /// <summary>A model's own defaults: Hugging Face's where it was imported from there, otherwise ours.</summary>
    public static SearchOptions For(ModelConfig config) => config.Generation is { } generation ? From(generation) : new();

    /// <summary>Throws <see cref="InvalidOption"/> naming the field that is wrong.</summary>
    public SearchOptions Validate()
    {
        Check(Beam >= 1, $"{Option(nameof(Beam))} must be at least 1, got {Beam}");
        Check(NBest >= 1 && NBest <= Beam, $"{Option(nameof(NBest))} must be between 1 and {Option(nameof(Beam))} ({Beam}), got {NBest}");
        Check(double.IsFinite(Temperature) && Temperature > 0, $"{Option(nameof(Temperature))} must be a positive number, got {Temperature}");
        Check(double.IsFinite(LengthPenalty), $"{Option(nameof(LengthPenalty))} must be a finite number, got {LengthPenalty}");
        Check(double.IsFinite(MaxLenA) && MaxLenA >= 0, $"{Option(nameof(MaxLenA))} must be a number ≥ 0, got {MaxLenA}");
        Check(MaxLenB >= 0, $"{Option(nameof(MaxLenB))} must be ≥ 0, got {MaxLenB}");
        Check(MinLen >= 0, $"{Option(nameof(MinLen))} must be ≥ 0, got {MinLen}");
        Check(NoRepeatNgram >= 0, $"{Option(nameof(NoRepeatNgram))} must be ≥ 0, got {NoRepeatNgram}");
        Check(TopK >= 0, $"{Option(nameof(TopK))} must be ≥ 0, got {TopK}");
        Check(TopP > 0 && TopP <= 1, $"{Option(nameof(TopP))} must be in (0, 1], got {TopP}");
        Check(Sampling || (TopK == 0 && TopP == 1.0), $"{Option(nameof(TopK))} and {Option(nameof(TopP))} need {Option(nameof(Sampling))}");
        return this;
    }

    /// <summary>Output tokens allowed (EOS excluded) for a source of this many tokens; never below MinLen.</summary>
    public int MaxLength(int sourceLength) => Math.Max(MinLen, (int)Math.Floor(MaxLenA * sourceLength) + MaxLenB);

    /// <summary>The divisor of the summed log-probability of a hypothesis of |y| scored tokens (EOS included).</summary>
    public double Penalty(int scoredTokens) => LengthPenalty == 0 ? 1.0 : LengthPenaltyStyle switch
    {
        LengthPenaltyStyle.Gnmt => Math.Pow((5.0 + scoredTokens) / 6.0, LengthPenalty),
        _ => Math.Pow(scoredTokens, LengthPenalty),
    };

    static void Check(bool ok, FormattableString problem)
    {
        if (!ok) throw new InvalidOption(problem);
    }
}
