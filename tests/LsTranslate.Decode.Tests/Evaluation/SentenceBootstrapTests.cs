using LsTranslate.Decode.Evaluation;
using LsTranslate.Metrics;
using LsTranslate.Model.Analysis;
using static TorchSharp.torch;

namespace LsTranslate.Decode.Tests.Evaluation;

public class SentenceBootstrapTests
{
    [Fact]
    public void PercentilesAreTheOrderStatisticsOneFortiethInFromEachEnd()
    {
        // 1000 values 0…999 in any order: n/40 = 25, so the 26th smallest and the 26th largest.
        var shuffled = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        new Random(3).Shuffle(shuffled);
        Assert.Equal(new Interval(25, 974), SentenceBootstrap.Percentiles(shuffled));
        // 40 values 1…40: n/40 = 1, so the second smallest and the second largest.
        Assert.Equal(new Interval(2, 39), SentenceBootstrap.Percentiles(Enumerable.Range(1, 40).Select(i => (double)i).Reverse().ToArray()));
        Assert.Equal(new Interval(7, 7), SentenceBootstrap.Percentiles([7.0]));
    }

    /// <summary>Three sentences' tokens as (confidence, correct), away from bin edges; 15 bins.</summary>
    static readonly (double Confidence, bool Correct)[][] Tokens =
    [
        [(0.95, true), (0.91, true), (0.30, false)],
        [(0.50, true), (0.55, false)],
        [(0.97, false), (0.12, false), (0.88, true), (0.62, true)],
    ];

    static readonly double[] TokenNll = [0.1, 0.2, 1.5, 0.7, 0.9, 3.0, 2.2, 0.3, 0.4];

    static SentenceCalibration Calibration()
    {
        int at = 0;
        var nll = Tokens.Select(s => s.Sum(_ => TokenNll[at++])).ToArray();
        var gaps = Tokens.Select(s =>
        {
            var gap = new double[15];
            foreach (var (c, right) in s) gap[(int)Math.Ceiling(c * 15) - 1] += (right ? 1 : 0) - c;
            return gap;
        }).ToArray();
        return new SentenceCalibration(1.0, nll, gaps);
    }

    /// <summary>The draws PairedBootstrap makes: its seed, one numpy bounded draw per line per resample.</summary>
    static List<int[]> Draws(int sentences, int samples, int seed)
    {
        var random = new NumpyRandom(seed); // the resamples' stream: numpy's default_rng(seed).choice(sentences, (samples, sentences))
        return Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, sentences).Select(_ => random.Below(sentences)).ToArray()).ToList();
    }

    [Fact]
    public void NllAndEceOfEachResampleMatchTheResampledTokensScoredFromScratch()
    {
        var bootstrap = new SentenceBootstrap(3, samples: 50, seed: 7);
        int[] tokens = Tokens.Select(s => s.Length).ToArray();
        var nll = bootstrap.Nll(Calibration(), tokens);
        var ece = bootstrap.Ece(Calibration(), tokens);
        var starts = new[] { 0, 3, 5 };
        foreach (var (draw, s) in Draws(3, 50, 7).Select((d, s) => (d, s)))
        {
            var drawn = draw.SelectMany(i => Tokens[i]).ToArray();
            var reliability = new ReliabilityAccumulator(15);
            reliability.Add(tensor(drawn.Select(t => t.Confidence).ToArray()), tensor(drawn.Select(t => t.Correct).ToArray()));
            Assert.Equal(reliability.Ece, ece[s], 12);
            double tokenNll = draw.Sum(i => TokenNll.Skip(starts[i]).Take(tokens[i]).Sum());
            Assert.Equal(tokenNll / drawn.Length, nll[s], 12);
        }
    }

    [Fact]
    public void HandComputedEceOfOneResample()
    {
        // One sentence, so every resample is that sentence: sentence 1 of Tokens, (0.50, right) in bin 7 and (0.55, wrong)
        // in bin 8, gives ECE = (|1 − 0.50| + |0 − 0.55|) / 2 = 0.525 and NLL (0.7 + 0.9) / 2 = 0.8.
        var one = new SentenceCalibration(1.0, [1.6], [Calibration().BinGaps[1]]);
        Assert.All(new SentenceBootstrap(1, samples: 5).Ece(one, [2]), e => Assert.Equal(0.525, e, 12));
        Assert.All(new SentenceBootstrap(1, samples: 5).Nll(one, [2]), e => Assert.Equal(0.8, e, 12));
    }

    [Fact]
    public void BleuResamplesAreThePairedBootstrapOnes()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Metrics", "Reference");
        var hyp = LineFile.Read(Path.Combine(folder, "hyp.txt"))[..120];
        var reference = LineFile.Read(Path.Combine(folder, "ref.txt"))[..120];
        var references = new References([reference]);
        var better = reference.Select(r => string.Join(' ', r.Split(' ').Skip(1))).ToArray();
        var paired = PairedBootstrap.Compare(new Bleu(), [hyp, better], references, samples: 200);

        var bootstrap = new SentenceBootstrap(120, samples: 200);
        var bleu = new Bleu();
        var baseline = bootstrap.Metric(bleu, bleu.LineStatistics(hyp, references));
        var system = bootstrap.Metric(bleu, bleu.LineStatistics(better, references));
        Assert.Equal(paired[0].Mean, baseline.Average(), 9);
        Assert.Equal(paired[1].Mean, system.Average(), 9);
        var interval = SentenceBootstrap.Percentiles(system);
        Assert.Equal(paired[1].ConfidenceInterval, (interval.High - interval.Low) / 2, 9);

        // Paired: a system against itself differs by exactly nothing in every resample; the better one wins in every resample here.
        Assert.Equal(new Interval(0, 0), SentenceBootstrap.Percentiles(SentenceBootstrap.Difference(system, system)));
        Assert.True(SentenceBootstrap.Percentiles(SentenceBootstrap.Difference(system, baseline)).Low > 0);
    }

    [Fact]
    public void SameSeedSameResamplesAndBadSizesAreRefused()
    {
        int[] tokens = Tokens.Select(s => s.Length).ToArray();
        Assert.Equal(new SentenceBootstrap(3, 20, seed: 1).Ece(Calibration(), tokens), new SentenceBootstrap(3, 20, seed: 1).Ece(Calibration(), tokens));
        Assert.NotEqual(new SentenceBootstrap(3, 20, seed: 1).Ece(Calibration(), tokens), new SentenceBootstrap(3, 20, seed: 2).Ece(Calibration(), tokens));
        Assert.Throws<ArgumentException>(() => new SentenceBootstrap(0));
        Assert.Throws<ArgumentException>(() => new SentenceBootstrap(3, samples: 0));
        Assert.Throws<ArgumentException>(() => SentenceBootstrap.Percentiles([]));
    }
}
