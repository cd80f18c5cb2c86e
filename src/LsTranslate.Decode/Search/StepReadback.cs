using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// What the host-side bookkeeping of one search step needs, per active sentence, read from the device in one
/// transfer: the open hypotheses' parent beams and tokens, which of the best `beam` candidates end here (with
/// their beams and scores), and the best open score. The tensors travel packed in one float64 row per sentence
/// (beam indices and token ids are exact in float64, float32 scores too); only this class knows the layout.
/// </summary>
sealed class StepReadback
{
    readonly double[] values;
    readonly int beam, width;

    StepReadback(double[] values, int beam)
    {
        this.values = values;
        this.beam = beam;
        width = 5 * beam + 1;
    }

    /// <param name="parentBeams">[sentences, beam] which open hypothesis each next open one extends.</param>
    /// <param name="tokens">[sentences, beam] the token each next open hypothesis adds.</param>
    /// <param name="candidateScores">[sentences, ≥ beam] scores of the ranked candidates.</param>
    /// <param name="candidateBeams">[sentences, ≥ beam] the beams the ranked candidates extend.</param>
    /// <param name="ending">[sentences, beam] bool: which of the first `beam` candidates end with EOS.</param>
    /// <param name="nextScores">[sentences, beam] scores of the next open hypotheses.</param>
    public static StepReadback Read(Tensor parentBeams, Tensor tokens, Tensor candidateScores, Tensor candidateBeams, Tensor ending,
        Tensor nextScores, int beam)
    {
        var packed = torch.cat([parentBeams.to_type(ScalarType.Float64), tokens.to_type(ScalarType.Float64),
            candidateScores.narrow(1, 0, beam).to_type(ScalarType.Float64), candidateBeams.narrow(1, 0, beam).to_type(ScalarType.Float64),
            ending.to_type(ScalarType.Float64), nextScores.max(1, keepdim: true).values.to_type(ScalarType.Float64)], 1);
        return new StepReadback(packed.cpu().data<double>().ToArray(), beam);
    }

    ReadOnlySpan<double> Part(int sentence, int part, int length) => values.AsSpan(sentence * width + part * beam, length);

    public int[] ParentBeams(int sentence) => Ints(Part(sentence, 0, beam));

    public int[] Tokens(int sentence) => Ints(Part(sentence, 1, beam));

    /// <summary>The candidates among the best `beam` that end with EOS at this step: the beam each extends and its score.</summary>
    public IEnumerable<(int Beam, float Score)> Ending(int sentence)
    {
        int row = sentence * width;
        for (int b = 0; b < beam; b++)
            if (values[row + 4 * beam + b] != 0) yield return ((int)values[row + 3 * beam + b], (float)values[row + 2 * beam + b]);
    }

    /// <summary>The best score among the sentence's next open hypotheses (−∞ when none is open).</summary>
    public float BestOpen(int sentence) => (float)values[sentence * width + 5 * beam];

    static int[] Ints(ReadOnlySpan<double> values)
    {
        var ints = new int[values.Length];
        for (int i = 0; i < ints.Length; i++) ints[i] = (int)values[i];
        return ints;
    }
}
