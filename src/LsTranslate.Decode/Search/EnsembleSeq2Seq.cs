using LsTranslate.Model;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Search;

/// <summary>
/// Several models decoded as one (fairseq's ensemble): the next-token distribution is the mean of the
/// models' distributions, p = (1/M) Σ softmax(z_m), and Step returns log p (log-mean-exp of the
/// log-softmaxes). Those are valid logits: the search's own temperature T then applies to the ensemble,
/// log_softmax(log p / T), so a one-model ensemble decodes exactly as the model alone.
/// </summary>
public sealed class EnsembleSeq2Seq : IIncrementalSeq2Seq
{
    readonly IIncrementalSeq2Seq[] models;

    public EnsembleSeq2Seq(IReadOnlyList<IIncrementalSeq2Seq> models)
    {
        if (models.Count == 0) throw new InputError("an ensemble needs at least one model");
        if (models.Any(m => m.VocabSize != models[0].VocabSize))
            throw new InputError($"ensemble models have different vocabularies ({string.Join(", ", models.Select(m => m.VocabSize))} tokens)");
        this.models = models.ToArray();
    }

    public int VocabSize => models[0].VocabSize;
    public int MaxPositions => models.Min(m => m.MaxPositions);

    public IDecoderState Encode(Tensor sourceIds)
    {
        var states = new List<IDecoderState>();
        try
        {
            foreach (var model in models) states.Add(model.Encode(sourceIds));
            return new EnsembleState(states.ToArray());
        }
        catch
        {
            foreach (var s in states) s.Dispose();
            throw;
        }
    }

    public Tensor Step(Tensor previousTokens, IDecoderState state)
    {
        var states = ((EnsembleState)state).Members;
        var logProbs = torch.stack(models.Select((m, i) =>
            torch.nn.functional.log_softmax(m.Step(previousTokens, states[i]).to_type(ScalarType.Float32), 1)), 0);
        return logProbs.logsumexp(0) - Math.Log(models.Length);
    }

    sealed class EnsembleState(IDecoderState[] members) : IDecoderState
    {
        public IDecoderState[] Members => members;
        public long Rows => members[0].Rows;
        public int Length => members[0].Length;

        public void Reorder(RowOrder order)
        {
            foreach (var m in members) m.Reorder(order);
        }

        public void Dispose()
        {
            foreach (var m in members) m.Dispose();
        }
    }
}
