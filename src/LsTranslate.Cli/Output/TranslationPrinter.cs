using System.Globalization;
using System.Text.Json;
using LsTranslate.Decode.Search;
using LsTranslate.Model.IO;
using LsTranslate.Model.Transformer;

namespace LsTranslate.Cli.Output;

/// <summary>
/// Every way a translated line is shown: `decode`'s line (with --scores its score first), the n-best lines of Marian and
/// fairseq, each output's pieces with their probabilities as text or as one JSON object per input line
/// (--token-scores text|json), and the translation `serve` answers with. Pieces are written as one JSON shape in
/// both places, <see cref="TokenScore"/>'s: {"text", "probability"}.
/// </summary>
/// <param name="json">--token-scores json: one object per line, whatever <paramref name="nbest"/> and <paramref name="withScores"/> say.</param>
public sealed class TranslationPrinter(int nbest, bool withScores, bool json)
{
    public void Write(TextWriter writer, TranslatedLine line)
    {
        if (json) writer.WriteLine(JsonSerializer.Serialize(JsonLine(line), Json.Line));
        else if (nbest > 1)
            foreach (var hypothesis in line.NBest)
                writer.WriteLine($"{line.Index} ||| {hypothesis.Text} ||| {Score(hypothesis)}{PiecesText(hypothesis)}");
        else
        {
            var best = line.NBest.Count > 0 ? line.NBest[0] : new TranslatedHypothesis("", [], double.NegativeInfinity);
            writer.WriteLine((withScores ? $"{Score(best)}\t{best.Text}" : best.Text) + PiecesText(best));
        }
    }

    /// <summary>
    /// A line's best translation with its pieces, and the others asked for, as `serve` answers. A sentence's
    /// confidence is the geometric mean of its tokens' probabilities, EOS included: exp(mean log p).
    /// </summary>
    public static object Served(TranslatedLine line) => new
    {
        text = line.NBest[0].Text,
        score = line.NBest[0].Score,
        confidence = Confidence(line.NBest[0]),
        tokens = Pieces(line.NBest[0]),
        alternatives = line.NBest.Skip(1).Select(h => new { text = h.Text, score = h.Score, confidence = Confidence(h) }),
    };

    /// <summary>--token-scores json: the input's 1-based line number and every hypothesis with its pieces.</summary>
    static object JsonLine(TranslatedLine line) => new
    {
        line = line.Index + 1,
        hypotheses = line.NBest.Select(h => new { text = h.Text, score = h.Score, tokens = Pieces(h) }),
    };

    static IReadOnlyList<TokenScore> Pieces(TranslatedHypothesis hypothesis) => hypothesis.TokenScores ?? [];

    static string Score(TranslatedHypothesis hypothesis) => hypothesis.Score.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>" ||| Lö=0.6213 scht=0.9120 ▁das=0.4102 &lt;/s&gt;=0.9876": spaces inside a piece shown as ▁ so that pieces stay apart.</summary>
    static string PiecesText(TranslatedHypothesis hypothesis) => hypothesis.TokenScores is not { Count: > 0 } pieces ? ""
        : " ||| " + string.Join(' ', pieces.Select(p => $"{p.Text.Replace(' ', '\u2581')}={p.Probability.ToString("F4", CultureInfo.InvariantCulture)}"));

    static double? Confidence(TranslatedHypothesis hypothesis) =>
        hypothesis.TokenScores is { Count: > 0 } pieces ? Math.Exp(pieces.Sum(p => Math.Log(p.Probability)) / (hypothesis.Tokens.Length + 1)) : null;
}
