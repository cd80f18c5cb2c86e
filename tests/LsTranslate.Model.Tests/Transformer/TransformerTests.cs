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
        swapped.Reorder(tensor(new long[] { 1, 0, 0 }));
        var after = model.Step(tensor(new long[] { 12, 11, 11 }), swapped);
        Assert.Equal(3, swapped.Rows);
        Assert.True(allclose(after[0], before[1], rtol: 0, atol: 1e-5));
        Assert.True(allclose(after[2], before[0], rtol: 0, atol: 1e-5));
    }
}
