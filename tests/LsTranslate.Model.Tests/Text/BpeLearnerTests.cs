using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Tests.Text;

public class BpeLearnerTests
{
    /// <summary>
    /// Textbook BPE: recount every pair before each merge. Same rules as the learner (most frequent pair,
    /// ties to the smaller (left id, right id), a join already in the vocabulary keeps its id, stop below 2).
    /// </summary>
    private static List<(string, string)> NaiveMerges(IEnumerable<string> texts, int vocabSize)
    {
        var words = texts.SelectMany(t => PreTokenization.Pieces().Matches(t).Select(m => m.Value))
            .GroupBy(w => w).Select(g => (Symbols: System.Text.Encoding.UTF8.GetBytes(g.Key).Select(b => b + 4).ToList(), Count: g.Count()))
            .ToList();
        var tokens = SpecialTokens.Names.Concat(ByteLevelAlphabet.CharOfByte.Select(c => c.ToString())).ToList();
        var merges = new List<(string, string)>();
        while (tokens.Count < vocabSize)
        {
            var counts = new Dictionary<(int, int), long>();
            foreach (var (symbols, count) in words)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            if (counts.Count == 0)
                break;
            var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).First();
            if (best.Value < 2)
                break;
            var (left, right) = best.Key;
            string joined = tokens[left] + tokens[right];
            int id = tokens.IndexOf(joined);
            if (id < 0)
            {
                id = tokens.Count;
                tokens.Add(joined);
            }
            merges.Add((tokens[left], tokens[right]));
            foreach (var (symbols, _) in words)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = id;
                        symbols.RemoveAt(i + 1);
                    }
        }
        return merges;
    }

    [Fact]
    public void IncrementalCountsGiveTheSameMergesAsRecountingEveryStep()
    {
        var texts = ParallelCorpus.Read(CorpusSource.FromTsv(TextTestFiles.Corpus("dev.tsv.gz")))
            .Take(150).SelectMany(p => new[] { p.Source, p.Target }).Append("aaaaaaa abababab  aaaa").ToList();
        var learned = BpeLearner.Learn(texts, 560);
        Assert.Equal(NaiveMerges(texts, 560), learned.Merges);
        Assert.Equal(560, learned.Tokens.Count);
    }
}
