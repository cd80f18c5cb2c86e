using LsTranslate.Model.Transformer;
using LsTranslate.Model.Batches;

namespace TrainThroughput;

/// <summary>
/// Matrix-product FLOPs of one training step (2 FLOPs per multiply-add; backward = 2 × forward): the layers over
/// the padded batch shape, the output projection over the real target tokens only (padding's logits are no
/// work the model needs). Layer norms, softmax, dropout and the loss's element-wise part are left out. The
/// numerator of MFU.
/// </summary>
static class Shape
{
    public static double TrainStepFlops(TransformerConfig c, IEnumerable<(int Rows, int Source, int Target, int TargetTokens)> batches) =>
        batches.Sum(b => 3 * ForwardFlops(c, b.Rows, b.Source, b.Target, b.TargetTokens));

    static double ForwardFlops(TransformerConfig c, double rows, double s, double t, double targetTokens)
    {
        double d = c.ModelDim, ff = c.FeedForwardDim;
        double encoderLayer = rows * s * (4 * d * d + 2 * d * ff) * 2 + rows * s * s * d * 2 * 2;
        double decoderLayer = rows * t * (4 * d * d + 2 * d * d + 2 * d * ff) * 2 // self q,k,v,o; cross q,o; ffn
                              + rows * s * 2 * d * d * 2                             // cross k,v over the memory
                              + rows * t * t * d * 2 * 2                             // self scores and context
                              + rows * t * s * d * 2 * 2;                            // cross scores and context
        double output = targetTokens * d * c.VocabSize * 2;
        return c.EncoderLayers * encoderLayer + c.DecoderLayers * decoderLayer + output;
    }

    public static (int Rows, int Source, int Target) Of(TokenBatch b) =>
        (b.Sentences, (int)b.Source.shape[1], (int)b.TargetIn.shape[1]);
}
