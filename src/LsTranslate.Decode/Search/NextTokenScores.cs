using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// Turns one step's logits into the log-probabilities search ranks by: temperature, log-softmax, then each
/// constraint the options ask for (<see cref="ITokenConstraint"/>), in order. The log-softmax comes before the
/// constraints, like fairseq: scores stay the model's own; with Renormalize a second one follows them, as Hugging Face's
/// renormalize_logits does.
/// </summary>
sealed class NextTokenScores
{
    readonly double temperature;
    readonly bool renormalize;
    readonly IReadOnlyList<ITokenConstraint> constraints;

    public NextTokenScores(SearchOptions options, int vocabSize)
    {
        temperature = options.Temperature;
        renormalize = options.Renormalize;
        var chosen = new List<ITokenConstraint> { new NeverGenerated() };
        if (options.MinLen > 0) chosen.Add(new MinimumLength(options.MinLen));
        if (options.NoRepeatNgram > 0) chosen.Add(new NoRepeatNgram(options.NoRepeatNgram, vocabSize));
        chosen.Add(new EndAtMaximumLength(vocabSize));
        constraints = chosen;
    }

    /// <param name="logits">[rows, vocab]</param>
    public Tensor Score(Tensor logits, StepContext context)
    {
        var logProbs = LogProbabilities(logits, temperature);
        foreach (var constraint in constraints) logProbs = constraint.Apply(logProbs, context);
        return renormalize ? torch.nn.functional.log_softmax(logProbs, 1) : logProbs;
    }

    /// <summary>The model's next-token log-probabilities at a temperature, before any constraint: what a token's score is made of.</summary>
    public static Tensor LogProbabilities(Tensor logits, double temperature)
    {
        var scaled = temperature == 1.0 ? logits : logits / temperature;
        return torch.nn.functional.log_softmax(scaled.to_type(ScalarType.Float32), 1);
    }
}
