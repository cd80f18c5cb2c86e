using LsTranslate.Decode.Evaluation;
using LsTranslate.Model.Transformer;
using LsTranslate.Model.Batches;

namespace LsTranslate.Decode.Tests.Evaluation;

public class SentenceCalibrationPassTests
{
    static List<EncodedPair> Pairs()
    {
        var random = new Random(5);
        int[] Sentence(int length) => Enumerable.Range(0, length).Select(_ => random.Next(4, 30)).ToArray();
        return Enumerable.Range(0, 9).Select(i => new EncodedPair(Sentence(3 + i % 4), Sentence(2 + (i * 5) % 7))).ToList();
    }

    [Fact]
    public void TotalsMatchTheKeptLogitsAndEachSentenceIsAttributedToItself()
    {
        TorchSharp.torch.manual_seed(11);
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 30));
        var pairs = Pairs();
        double[] temperatures = [1.0, 0.7, 1.6];
        // A small token budget makes several batches, so sentences are reordered across and within them.
        var measured = SentenceCalibrationPass.Measure(model, pairs, temperatures, maxTokens: 24);

        Assert.Equal(pairs.Select(p => p.Target.Length + 1), measured.SentenceTokens);
        using var logits = TeacherForcedLogits.Collect(model, pairs);
        foreach (double t in temperatures)
        {
            var expected = logits.At(t);
            var total = measured.At(t);
            Assert.Equal(expected.Tokens, total.Tokens);
            Assert.Equal(expected.Nll, total.Nll, 5);
            Assert.Equal(expected.Ece, total.Ece, 5);
            Assert.Equal(expected.Accuracy, total.Accuracy, 12);
            Assert.Equal(expected.Bins.Select(b => b.Count), total.Bins.Select(b => b.Count));
            // The per-sentence sums add up to the totals.
            var sentences = measured.SentencesAt(t);
            Assert.Equal(total.Nll * total.Tokens, sentences.NllSums.Sum(), 6);
            double ece = Enumerable.Range(0, 15).Sum(b => Math.Abs(sentences.BinGaps.Sum(g => g[b]))) / total.Tokens;
            Assert.Equal(total.Ece, ece, 9);
        }
        // Each sentence's own NLL, from a forward of that sentence alone.
        for (int i = 0; i < pairs.Count; i++)
        {
            using var alone = TeacherForcedLogits.Collect(model, [pairs[i]]);
            Assert.Equal(alone.At(0.7).Nll * alone.Tokens, measured.SentencesAt(0.7).NllSums[i], 4);
        }
    }

    [Fact]
    public void ANonPositiveTemperatureIsRefused()
    {
        using var model = new Seq2SeqTransformer(TransformerConfig.Preset("tiny", 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => SentenceCalibrationPass.Measure(model, Pairs(), [1.0, 0]));
    }
}
