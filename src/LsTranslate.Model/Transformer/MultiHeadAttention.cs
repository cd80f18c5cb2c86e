using LsTranslate.Model.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// Batch-first multi-head attention (<see cref="AttentionWeights"/>). Projections are exposed
/// separately so the decoder can project encoder keys/values once and cache them.
/// </summary>
sealed class MultiHeadAttention : nn.Module
{
    readonly Projection query, key, value, output;
    readonly int heads;
    readonly double dropout;

    public MultiHeadAttention(string name, int dim, int heads, double dropout, MatmulPrecision precision) : base(name)
    {
        this.heads = heads;
        this.dropout = dropout;
        query = new Projection(dim, dim, precision);
        key = new Projection(dim, dim, precision);
        value = new Projection(dim, dim, precision);
        output = new Projection(dim, dim, precision);
        RegisterComponents();
    }

    /// <summary>[B, T, D] → [B, H, T, D/H].</summary>
    Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], heads, -1).transpose(1, 2);

    public Tensor ProjectQuery(Tensor x) => SplitHeads(query.forward(x));
    public Tensor ProjectKey(Tensor x) => SplitHeads(key.forward(x));
    public Tensor ProjectValue(Tensor x) => SplitHeads(value.forward(x));

    /// <summary>Attention over already projected heads; mask is boolean (true = attend) and broadcastable to [B, H, Tq, Tk].</summary>
    public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal = false)
    {
        var context = AttentionWeights.Apply(q, k, v, mask, causal, dropout, training);
        var merged = context.transpose(1, 2).contiguous();
        return output.forward(merged.view(merged.shape[0], merged.shape[1], -1));
    }

    public Tensor Forward(Tensor queries, Tensor keysValues, Tensor? mask, bool causal = false) =>
        Attend(ProjectQuery(queries), ProjectKey(keysValues), ProjectValue(keysValues), mask, causal);
}
