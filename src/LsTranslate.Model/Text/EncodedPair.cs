namespace LsTranslate.Model.Text;

/// <summary>Token ids of one sentence pair, without BOS/EOS (the batcher adds them).</summary>
public sealed record EncodedPair(int[] Source, int[] Target);
