using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Decode.Search;

/// <summary>One piece of an output with its probability at the temperature in use; "&lt;/s&gt;" is the end of the sentence.</summary>
public sealed record TokenScore(string Text, double Probability)
{
    public const string EndOfSentence = "</s>";

    /// <summary>
    /// The output's tokens as pieces of whole characters: a subword that ends inside a UTF-8 character (byte-level BPE
    /// can split one) is merged with the next ones until the text is whole again, their probabilities multiplied.
    /// The last piece is EOS's.
    /// </summary>
    /// <param name="logProbs">tokens.Length + 1 log-probabilities, EOS's last (<see cref="FinishedHypothesis.TokenLogProbs"/>, <see cref="ForcedDecoding"/>).</param>
    public static IReadOnlyList<TokenScore> Pieces(ISubwordTokenizer tokenizer, int[] tokens, IReadOnlyList<double> logProbs)
    {
        string full = tokenizer.Decode(tokens);
        var pieces = new List<TokenScore>();
        string done = "";
        int start = 0;
        for (int end = 1; end <= tokens.Length; end++)
        {
            string prefix = end == tokens.Length ? full : tokenizer.Decode(tokens[..end]);
            bool whole = !prefix.EndsWith('\uFFFD') && full.StartsWith(prefix, StringComparison.Ordinal) && prefix.Length > done.Length;
            if (!whole && end < tokens.Length) continue;
            double logProb = 0;
            for (int i = start; i < end; i++) logProb += logProbs[i];
            pieces.Add(new TokenScore(full[done.Length..prefix.Length], Math.Exp(logProb)));
            (done, start) = (prefix, end);
        }
        pieces.Add(new TokenScore(EndOfSentence, Math.Exp(logProbs[tokens.Length])));
        return pieces;
    }
}
