using System.Diagnostics;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

// Usage: dotnet run -c Release --project bench/BpeLearn -- [train.tsv.gz] [dev.tsv.gz] [vocab] [outDir]
string train = args.ElementAtOrDefault(0) ?? "corpora/en-de/train.tsv.gz";
string dev = args.ElementAtOrDefault(1) ?? "corpora/en-de/dev.tsv.gz";
int vocabSize = int.Parse(args.ElementAtOrDefault(2) ?? "8000");
string outDir = args.ElementAtOrDefault(3) ?? Path.Combine(Path.GetTempPath(), "bpe-bench");

var clock = Stopwatch.StartNew();
var pairs = ParallelCorpus.Read(CorpusSource.FromTsv(train)).ToList();
double readSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var tokenizer = SubwordTokenizers.LearnBpe(pairs.SelectMany(p => new[] { p.Source, p.Target }), vocabSize, outDir);
double learnSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"train pairs {pairs.Count}: read {readSeconds:F1} s, learned vocab {tokenizer.VocabSize} in {learnSeconds:F1} s");

clock.Restart();
long sentences = 0, sourceTokens = 0, targetTokens = 0, mismatches = 0;
foreach (var pair in ParallelCorpus.Read(CorpusSource.FromTsv(dev)))
{
    var src = tokenizer.Encode(pair.Source);
    var tgt = tokenizer.Encode(pair.Target);
    sentences++;
    sourceTokens += src.Length;
    targetTokens += tgt.Length;
    if (tokenizer.Decode(src) != pair.Source || tokenizer.Decode(tgt) != pair.Target)
        mismatches++;
}
Console.WriteLine($"dev pairs {sentences}: {(double)sourceTokens / sentences:F1} source / {(double)targetTokens / sentences:F1} target tokens per sentence, " +
                  $"round-trip mismatches {mismatches}, encoded in {clock.Elapsed.TotalSeconds:F1} s");
