using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// softmax(q·kᵀ/√d, masked)·v written out as two products around a float32 softmax. libtorch's CPU
/// scaled_dot_product_attention runs a tiled (flash) kernel built for long sequences: at translation lengths
/// (batches of ~250 sentences of ~15 tokens) its backward took ~9× as long as these two batched products,
/// and longer in bf16 than in fp32 (bench/train-throughput, phases mode). The products run in the type of
/// q, k and v; the scores are masked and normalised in float32, as autocast does.
/// </summary>
public static class AttentionWeights
{
    /// <param name="mask">boolean, true = attend, broadcastable to [B, H, Tq, Tk]; null: every key.</param>
    /// <param name="causal">query i attends to keys 0..i only (Tq = Tk).</param>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal, double dropout, bool training)
    {
        var scores = q.matmul(k.transpose(-2, -1)).to(ScalarType.Float32) * (1.0 / Math.Sqrt(q.shape[^1]));
        if (mask is not null) scores = scores.masked_fill(mask.logical_not(), double.NegativeInfinity);
        if (causal)
        {
            long tq = q.shape[^2], tk = k.shape[^2];
            scores = scores.masked_fill(ones(tq, tk, dtype: ScalarType.Bool, device: q.device).triu(1), double.NegativeInfinity);
        }
        var weights = scores.softmax(-1);
        if (training && dropout > 0) weights = nn.functional.dropout(weights, dropout, true);
        return weights.to(v.dtype).matmul(v);
    }
}
