using System.Net;
using System.Text;
using System.Text.Json;
using LsTranslate.Cli.Server;
using LsTranslate.Cli.Tests.Translation;
using LsTranslate.Model.Training;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Cli.Tests.Server;

/// <summary>
/// The server's confidence is the geometric mean of the output's token probabilities, EOS included. It is checked two
/// ways, neither of them the server's own arithmetic: from the probabilities the response itself lists, and from a
/// forced-decoding score of the returned text computed here — the whole target through the non-incremental Forward
/// (not search's incremental steps), log-softmax written out in doubles, one log-probability per token plus EOS.
/// </summary>
public class ServerConfidenceTests(DecodeCommandTests.TinyModel tiny, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<DecodeCommandTests.TinyModel>
{
    /// <summary>log p(token) at <paramref name="temperature"/> of every target token and then EOS, teacher-forced through Forward, log-softmax in doubles.</summary>
    static double[] ForcedLogProbs(LoadedModel loaded, string source, int[] target, double temperature)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sourceIds = tensor(loaded.Tokenizer.Encode(source).Select(i => (long)i).ToArray()).unsqueeze(0);
        long[] targetIn = [SpecialTokens.Bos, .. target.Select(i => (long)i)];
        int[] gold = [.. target, SpecialTokens.Eos];
        var logits = loaded.Model.Forward(sourceIds, tensor(targetIn).unsqueeze(0)).squeeze(0);
        int vocab = (int)logits.shape[1];
        var values = logits.to(ScalarType.Float64).data<double>().Select(v => v / temperature).ToArray();
        var result = new double[gold.Length];
        for (int t = 0; t < gold.Length; t++)
        {
            var row = values.AsSpan(t * vocab, vocab);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            result[t] = row[gold[t]] - max - Math.Log(sum);
        }
        return result;
    }

    // Not 1: the probabilities (and so the confidence) are those at the temperature in use.
    const double Temperature = 1.3;

    [Fact]
    public async Task ConfidenceIsTheGeometricMeanOfTheTokenProbabilitiesEosIncluded()
    {
        await using var server = await InMemoryServer.Start(tiny.Dir);
        string[] sources = ["file 1 is open", "file 2 is open", "file 5 is open"];
        var response = await server.Client.PostAsync("/v1/translate",
            new StringContent(JsonSerializer.Serialize(new { lines = sources, nbest = 3, beam = 3, max_len_b = 4, lenpen = 2.0, temperature = Temperature }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var translations = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("translations").EnumerateArray().ToList();
        Assert.Equal(sources.Length, translations.Count);

        using var independent = new ModelDirectory(tiny.Dir).Load("last"); // its own copy of the weights, outside the server
        int compared = 0;
        for (int i = 0; i < sources.Length; i++)
        {
            var best = translations[i];
            var pieces = best.GetProperty("tokens").EnumerateArray()
                .Select(p => (Text: p.GetProperty("text").GetString()!, P: p.GetProperty("probability").GetDouble())).ToList();
            Assert.Equal("</s>", pieces[^1].Text);
            double confidence = best.GetProperty("confidence").GetDouble();

            // From the response's own probabilities, one per piece and EOS's last: with one piece per token (the
            // check below that the re-encoded text has as many tokens) their geometric mean is the confidence.
            string text = best.GetProperty("text").GetString()!;
            var ids = independent.Tokenizer.Encode(text);
            if (pieces.Count == ids.Length + 1) Assert.Equal(Math.Exp(pieces.Average(p => Math.Log(p.P))), confidence, 9);

            var hypotheses = best.GetProperty("alternatives").EnumerateArray()
                .Select(a => (Text: a.GetProperty("text").GetString()!, Confidence: a.GetProperty("confidence").GetDouble()))
                .Prepend((text, confidence)).ToList();
            Assert.Equal(3, hypotheses.Count);
            foreach (var (hypothesisText, hypothesisConfidence) in hypotheses)
            {
                // The returned text re-encodes to the tokens search produced unless search ended on part of a UTF-8
                // character (shown as U+FFFD, which re-encodes as three other bytes): those cannot be forced again.
                if (hypothesisText.Contains('\uFFFD')) continue;
                var hypothesisIds = independent.Tokenizer.Encode(hypothesisText);
                var forced = ForcedLogProbs(independent, sources[i], hypothesisIds, Temperature);
                double expected = Math.Exp(forced.Average());
                output.WriteLine($"line {i} '{hypothesisText}': {hypothesisIds.Length} tokens + EOS, confidence {hypothesisConfidence}, forced decoding {expected}");
                Assert.True(Math.Abs(hypothesisConfidence - expected) <= 1e-4 * expected,
                    $"line {i} '{hypothesisText}': confidence {hypothesisConfidence}, but the forced-decoding geometric mean is {expected}");
                if (hypothesisText == text)
                {
                    // The best one's pieces are its tokens: each probability is the forced one, EOS's last.
                    Assert.Equal(forced.Length, pieces.Count);
                    for (int t = 0; t < forced.Length; t++) Assert.Equal(forced[t], Math.Log(pieces[t].P), 4);
                }
                if (hypothesisIds.Length >= 2) compared++;
            }
        }
        Assert.True(compared >= 6, $"only {compared} outputs of two tokens or more compared: the check would rest on EOS alone");
    }
}
