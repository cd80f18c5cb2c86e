using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Tests.Transformer;

public class TransformerTests
{
    static Seq2SeqTransformer TinyModel(bool preNorm = true)
    {
        manual_seed(7);
        var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 20) with { PreNorm = preNorm, DecoderLayers = 2 });
        model.eval();
        return model;
    }

    static Tensor Ids(params long[][] rows)
    {
        int width = rows.Max(r => r.Length);
        var padded = rows.SelectMany(r => r.Concat(Enumerable.Repeat(0L, width - r.Length))).ToArray();
        return tensor(padded).reshape(rows.Length, width);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CachedStepsEqualFullForward(bool preNorm)
    {
        using var model = TinyModel(preNorm);
        using var scope = NewDisposeScope();
        var source = Ids([5, 6, 7, 8], [9, 10]);
        var target = Ids([1, 11, 12, 13, 14], [1, 15, 16, 17, 18]);
        Tensor full;
        using (no_grad()) full = model.Forward(source, target);
        using var state = model.Encode(source);
        for (int t = 0; t < target.shape[1]; t++)
        {
            var step = model.Step(target[TensorIndex.Colon, t], state);
            Assert.True(allclose(step, full[TensorIndex.Colon, t], rtol: 0, atol: 1e-5), $"step {t} differs");
        }
        Assert.Equal(5, state.Length);
    }

    [Fact]
    public void PaddingDoesNotChangeRealPositions()
    {
        using var model = TinyModel();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var alone = model.Forward(Ids([5, 6, 7]), Ids([1, 11, 12]));
        var padded = model.Forward(Ids([5, 6, 7, 0, 0], [9, 10, 11, 12, 13]), Ids([1, 11, 12, 0], [1, 2, 3, 4]));
        Assert.True(allclose(alone[0], padded[0, TensorIndex.Slice(0, 3)], rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void DecoderIsCausal()
    {
        using var model = TinyModel();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = model.Forward(Ids([5, 6, 7]), Ids([1, 11, 12, 13]));
        var b = model.Forward(Ids([5, 6, 7]), Ids([1, 11, 19, 4]));
        Assert.True(allclose(a[0, TensorIndex.Slice(0, 2)], b[0, TensorIndex.Slice(0, 2)], rtol: 0, atol: 1e-6));
        Assert.False(allclose(a[0, 2], b[0, 2], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ReorderFollowsRows()
    {
        using var model = TinyModel();
        using var scope = NewDisposeScope();
        var source = Ids([5, 6, 7, 8], [9, 10]);
        using var state = model.Encode(source);
        model.Step(tensor(new long[] { 1, 1 }), state);
        var before = model.Step(tensor(new long[] { 11, 12 }), state);
        using var swapped = model.Encode(source);
        model.Step(tensor(new long[] { 1, 1 }), swapped);
        swapped.Reorder(new RowOrder([1, 0, 0]));
        var after = model.Step(tensor(new long[] { 12, 11, 11 }), swapped);
        Assert.Equal(3, swapped.Rows);
        Assert.True(allclose(after[0], before[1], rtol: 0, atol: 1e-5));
        Assert.True(allclose(after[2], before[0], rtol: 0, atol: 1e-5));
    }

    /// <summary>
    /// Beam-search-like use of the cache: expand sentences into rows, swap rows within a sentence (the
    /// encoder keys/values stay put), drop a sentence, and run past the cache's first growth; every step
    /// must equal the full forward of each row's own source and token history.
    /// </summary>
    [Fact]
    public void CachedStepsFollowExpandSwapDropAndGrowth()
    {
        using var model = TinyModel();
        using var scope = NewDisposeScope();
        long[][] sources = [[5, 6, 7, 8], [9, 10]];
        using var state = model.Encode(Ids(sources));
        var rows = new List<(int Source, List<long> Tokens)>();
        void Reorder(params int[] keep)
        {
            state.Reorder(new RowOrder(keep.Select(k => (long)k).ToArray()));
            rows = keep.Select(k => (rows.Count == 0 ? k : rows[k].Source, rows.Count == 0 ? new List<long>() : new List<long>(rows[k].Tokens))).ToList();
        }
        Reorder(0, 0, 1, 1);
        for (int t = 0; t < 20; t++)
        {
            if (t == 3) Reorder(1, 0, 3, 2);
            if (t == 8) Reorder(3, 2);
            var next = rows.Select((r, i) => t == 0 ? 1L : 4 + (t * 7 + i * 3) % 16).ToArray();
            for (int i = 0; i < rows.Count; i++) rows[i].Tokens.Add(next[i]);
            var step = model.Step(tensor(next), state);
            Tensor full;
            using (no_grad()) full = model.Forward(Ids(rows.Select(r => sources[r.Source]).ToArray()), Ids(rows.Select(r => r.Tokens.ToArray()).ToArray()));
            Assert.True(allclose(step, full[TensorIndex.Colon, -1], rtol: 0, atol: 1e-5), $"step {t} differs");
        }
        Assert.Equal(2, state.Rows);
        Assert.Equal(20, state.Length);
    }

    /// <summary>Rows in runs of one length per sentence share its encoder keys/values; any other order copies them per row.</summary>
    [Theory]
    [InlineData(new long[] { 0, 0, 0, 1, 1, 1 })]
    [InlineData(new long[] { 1, 1, 0, 0 })]
    [InlineData(new long[] { 0, 1, 0, 1 })]
    [InlineData(new long[] { 1, 1, 1, 0 })]
    public void EveryRowOrderStepsAsItsOwnSentence(long[] order)
    {
        using var model = TinyModel();
        using var scope = NewDisposeScope();
        long[][] sources = [[5, 6, 7, 8], [9, 10]];
        using var state = model.Encode(Ids(sources));
        state.Reorder(new RowOrder(order));
        var tokens = order.Select((_, i) => (long)(11 + i % 3)).ToArray();
        model.Step(tensor(Enumerable.Repeat(1L, order.Length).ToArray()), state);
        var step = model.Step(tensor(tokens), state);
        using var noGrad = no_grad();
        var full = model.Forward(Ids(order.Select(o => sources[o]).ToArray()), Ids(tokens.Select(t => new long[] { 1, t }).ToArray()));
        Assert.True(allclose(step, full[TensorIndex.Colon, -1], rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void AnInferenceModelKeepsOneBf16CopyOfEachWeightAndStepsAsCastingDoes()
    {
        using var casting = TinyModel();
        using var keeping = TinyModel();
        keeping.ForInference();
        Assert.Equal(casting.parameters().Count(), keeping.state_dict().Count); // the tied output weight is no second parameter
        using var scope = NewDisposeScope();
        casting.Precision = Precision.Bf16;
        keeping.Precision = Precision.Bf16;
        var source = Ids([5, 6, 7, 8], [9, 10]);
        using var castingState = casting.Encode(source);
        using var keepingState = keeping.Encode(source);
        foreach (var tokens in new[] { new long[] { 1, 1 }, new long[] { 11, 12 }, new long[] { 13, 4 } })
            Assert.True(casting.Step(tensor(tokens), castingState).eq(keeping.Step(tensor(tokens), keepingState)).all().item<bool>());

        Assert.Empty(casting.WeightCopies.AllCopies);
        // Every parameter a product reads (each projection's weight and bias, the tied embedding as the output layer:
        // all but the layer norms') has exactly one copy, in bf16 as the product reads it; a fourth decoder step makes
        // no other. (The output layer's copy is keyed by the model's own handle on the tied weight, not by the one
        // named_parameters gives, so it is found in the count, not by name.)
        keeping.Step(tensor(new long[] { 5, 6 }), keepingState);
        var products = keeping.named_parameters().Where(p => !p.name.Contains("norm", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.All(products.Where(p => p.name != "embedding.weight"), p => Assert.True(
            keeping.WeightCopies.CopiesOf(p.parameter).SequenceEqual([(ScalarType.BFloat16, false)]),
            $"{p.name}: [{string.Join(", ", keeping.WeightCopies.CopiesOf(p.parameter))}]"));
        Assert.Equal(products.Count, keeping.WeightCopies.AllCopies.Count);
        Assert.All(keeping.WeightCopies.AllCopies, kept => Assert.Equal([(ScalarType.BFloat16, false)], kept));
    }
}
