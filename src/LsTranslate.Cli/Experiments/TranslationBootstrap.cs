using LsTranslate.Decode.Evaluation;
using LsTranslate.Metrics;

namespace LsTranslate.Cli.Experiments;

/// <summary>
/// What the bootstrap needs of one measured model, per test sentence: its calibration at every temperature and the BLEU
/// statistics (TextMetric.LineStatistics over the whole test set, zero rows for sentences not decoded) of its decodes.
/// </summary>
public sealed record ModelSentences(ModelResults Results, TestCalibration Calibration, double[] DecodeBleu, double[] ScaledDecodeBleu,
    IReadOnlyList<double[]> SweepBleu);

/// <summary>
/// The 95 % intervals behind the translation claims: one SentenceBootstrap over the test sentences, on whose resamples
/// every measure of both models at every temperature is recomputed, so every difference is paired. The point values are
/// the measurements on the whole test set; only the intervals come from the resamples.
/// </summary>
public static class TranslationBootstrap
{
    /// <summary>One measurement: BLEU, ECE and NLL on the whole test set and in each resample.</summary>
    sealed record Measured(double Bleu, double Ece, double Nll, double[] BleuSamples, double[] EceSamples, double[] NllSamples);

    public static TranslationUncertainty Measure(ModelSentences baseline, ModelSentences smoothed, References references,
        int samples = BootstrapResamples.DefaultSamples, int seed = BootstrapResamples.DefaultSeed)
    {
        var bootstrap = new SentenceBootstrap(baseline.Calibration.SentenceTokens.Length, samples, seed);
        var bleu = new Bleu();
        Measured At(ModelSentences m, double temperature, double bleuScore, double[] bleuStatistics)
        {
            var total = m.Calibration.At(temperature);
            var sentences = m.Calibration.SentencesAt(temperature);
            var tokens = m.Calibration.SentenceTokens;
            return new Measured(bleuScore, total.Ece, total.Nll, bootstrap.Metric(bleu, bleuStatistics),
                bootstrap.Ece(sentences, tokens), bootstrap.Nll(sentences, tokens));
        }

        var models = new[] { baseline, smoothed }.Select(m =>
        {
            var r = m.Results;
            var atOne = At(m, 1.0, r.Decode.Bleu.Score, m.DecodeBleu);
            var scaled = At(m, r.Fit.Temperature, r.ScaledDecode.Bleu.Score, m.ScaledDecodeBleu);
            var sweep = r.Sweep.Select((p, i) => At(m, p.Temperature, p.Bleu, m.SweepBleu[i])).ToList();
            return (m.Results, atOne, scaled, sweep);
        }).ToList();

        var uncertainties = models.Select(m =>
        {
            var temperatures = m.Results.Sweep.Select(p => p.Temperature).ToList();
            int one = temperatures.IndexOf(1.0);
            var sweepAgainstOne = one < 0
                ? []
                : temperatures.Select((t, i) => (t, i)).Where(x => x.i != one)
                    .Select(x => Compare("T = 1", $"T = {x.t:0.0#}", m.sweep[one], m.sweep[x.i])).ToList();
            return new ModelUncertainty(m.Results.Name, Compare("T = 1", $"T = {m.Results.Fit.Temperature:0.###}", m.atOne, m.scaled),
                Choose(temperatures, m.sweep, s => s.BleuSamples, s => s.Bleu, highest: true),
                Choose(temperatures, m.sweep, s => s.EceSamples, s => s.Ece, highest: false),
                Choose(temperatures, m.sweep, s => s.NllSamples, s => s.Nll, highest: false),
                sweepAgainstOne);
        }).ToList();

        // Per resample, the temperatures each measure picks; the difference of the summed distances is paired by construction.
        var distance = new double[samples];
        double pointDistance = 0;
        foreach (var m in models)
        {
            var temperatures = m.Results.Sweep.Select(p => p.Temperature).ToList();
            for (int s = 0; s < samples; s++)
            {
                double bleuT = temperatures[Pick(m.sweep, x => x.BleuSamples[s], highest: true)];
                distance[s] += Math.Abs(temperatures[Pick(m.sweep, x => x.EceSamples[s], highest: false)] - bleuT)
                               - Math.Abs(temperatures[Pick(m.sweep, x => x.NllSamples[s], highest: false)] - bleuT);
            }
            double pointBleuT = temperatures[Pick(m.sweep, x => x.Bleu, highest: true)];
            pointDistance += Math.Abs(temperatures[Pick(m.sweep, x => x.Ece, highest: false)] - pointBleuT)
                             - Math.Abs(temperatures[Pick(m.sweep, x => x.Nll, highest: false)] - pointBleuT);
        }

        return new TranslationUncertainty(samples, seed, Compare(baseline.Results.Name, smoothed.Results.Name, models[0].atOne, models[1].atOne),
            uncertainties, pointDistance, SentenceBootstrap.Percentiles(distance));
    }

    static Change Compare(string before, string after, Measured a, Measured b) => new(before, after,
        b.Bleu - a.Bleu, SentenceBootstrap.Percentiles(SentenceBootstrap.Difference(b.BleuSamples, a.BleuSamples)),
        b.Ece - a.Ece, SentenceBootstrap.Percentiles(SentenceBootstrap.Difference(b.EceSamples, a.EceSamples)),
        b.Nll - a.Nll, SentenceBootstrap.Percentiles(SentenceBootstrap.Difference(b.NllSamples, a.NllSamples)));

    /// <summary>The index of the best value; on a tie the first, i.e. the lowest temperature, as on the whole test set.</summary>
    static int Pick(IReadOnlyList<Measured> sweep, Func<Measured, double> value, bool highest)
    {
        int best = 0;
        for (int i = 1; i < sweep.Count; i++)
            if (highest ? value(sweep[i]) > value(sweep[best]) : value(sweep[i]) < value(sweep[best])) best = i;
        return best;
    }

    static TemperatureChoice Choose(IReadOnlyList<double> temperatures, IReadOnlyList<Measured> sweep,
        Func<Measured, double[]> samples, Func<Measured, double> point, bool highest)
    {
        int count = samples(sweep[0]).Length;
        var picked = Enumerable.Range(0, count).Select(s => temperatures[Pick(sweep, m => samples(m)[s], highest)]).ToList();
        var shares = temperatures.Select(t => new TemperatureShare(t, picked.Count(p => p == t) / (double)count)).ToList();
        return new TemperatureChoice(temperatures[Pick(sweep, point, highest)], SentenceBootstrap.Percentiles(picked), shares);
    }
}
