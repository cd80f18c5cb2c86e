using LsTranslate.Metrics;
using Metrics = LsTranslate.Metrics;
using LsTranslate.Decode.Search;
using LsTranslate.Model.Transformer;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Evaluation;

/// <summary>Decoded hypotheses of a test set with their BLEU and chrF (sacreBLEU defaults: 13a, mixed case).</summary>
public sealed record TranslationQuality(IReadOnlyList<string> Hypotheses, BleuScore Bleu, BleuScore UncasedBleu, ChrFScore ChrF, double Seconds)
{
    public static TranslationQuality Measure(IIncrementalSeq2Seq model, ISubwordTokenizer tokenizer, TestSet test,
        SearchOptions search, BatchingOptions? batching = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var device = model is TorchSharp.torch.nn.Module module ? LsTranslate.Model.Devices.Of(module) : TorchSharp.torch.CPU;
        var translator = new Translator(model, tokenizer, search, batching ?? new BatchingOptions(), device);
        var hypotheses = translator.Translate(test.Sources).Select(line => line.Text).ToList();
        IReadOnlyList<IReadOnlyList<string>> references = [test.References];
        return new TranslationQuality(
            hypotheses,
            Metrics.Bleu.CorpusScore(hypotheses, references),
            Metrics.Bleu.CorpusScore(hypotheses, references, new BleuOptions { Lowercase = true }),
            Metrics.ChrF.CorpusScore(hypotheses, references),
            clock.Elapsed.TotalSeconds);
    }
}
