using LsTranslate.Decode.Search;
using LsTranslate.Model;
using TorchSharp;

namespace LsTranslate.Decode.Tests.Search;

public class EnsembleSeq2SeqTests
{
    static readonly long[][] Sources = [[4, 5, 6], [6], [5, 5, 4, 6, 4]];

    [Fact]
    public void OneMemberEnsembleDecodesLikeTheModelAtAnySearchTemperature()
    {
        foreach (var t in new[] { 1.0, 2.0 })
        {
            var options = new SearchOptions { Beam = 4, NBest = 3, Temperature = t };
            var alone = new BeamSearch(new FakeSeq2Seq(7), options).Search(Reference.Batch(Sources));
            var ensemble = new BeamSearch(new EnsembleSeq2Seq([new FakeSeq2Seq(7)]), options).Search(Reference.Batch(Sources));
            for (int s = 0; s < Sources.Length; s++)
            {
                Assert.Equal(alone[s].Select(h => h.Tokens), ensemble[s].Select(h => h.Tokens));
                for (int i = 0; i < alone[s].Count; i++) Reference.AssertClose(alone[s][i].Score, ensemble[s][i].Score);
            }
        }
    }

    [Fact]
    public void StepIsTheLogOfTheMeanOfTheMembersDistributions()
    {
        FakeSeq2Seq a = new(7, seed: 1), b = new(7, seed: 2);
        var ensemble = new EnsembleSeq2Seq([a, b]);
        using var state = ensemble.Encode(Reference.Batch(Sources));
        var got = ensemble.Step(torch.full(Sources.Length, 1L), state).data<float>().ToArray();
        for (int s = 0; s < Sources.Length; s++)
        {
            var pa = Reference.LogProbs(a, Sources[s], [1], 1.0);
            var pb = Reference.LogProbs(b, Sources[s], [1], 1.0);
            for (int v = 2; v < 7; v++) // PAD and BOS are banned by Reference only
                Reference.AssertClose(Math.Log((Math.Exp(pa[v]) + Math.Exp(pb[v])) / 2), got[s * 7 + v]);
        }
    }

    [Fact]
    public void MembersWithDifferentVocabulariesAreAnInputError() =>
        Assert.Throws<InputError>(() => new EnsembleSeq2Seq([new FakeSeq2Seq(7), new FakeSeq2Seq(8)]));
}
