// Lines per second of BLEU, chrF and both on 100,000 lines (the reference files repeated), printed as
// one JSON object. Usage: dotnet run -c Release -- [reference folder] [lines]
using System.Diagnostics;
using System.Text.Json;
using LsTranslate.Metrics;

string folder = args.Length > 0 ? args[0] : "tests/LsTranslate.Metrics.Tests/Reference";
int lines = args.Length > 1 ? int.Parse(args[1]) : 100_000;
string[] Repeat(string name)
{
    var source = LineFile.Read(Path.Combine(folder, name));
    return Enumerable.Range(0, lines).Select(i => source[i % source.Length]).ToArray();
}
var hyps = Repeat("hyp.txt");
var refs = new References([Repeat("ref.txt")]);

// Warm up (JIT) on a slice, then time each metric on the full set.
var warmHyps = hyps[..2000];
var warmRefs = new References([refs.Count > 0 ? Enumerable.Range(0, 2000).Select(i => refs[i][0]).ToArray() : []]);
new Bleu().Corpus(warmHyps, warmRefs);
new ChrF().Corpus(warmHyps, warmRefs);

double Seconds(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}
double bleu = Seconds(() => new Bleu().Corpus(hyps, refs));
double chrf = Seconds(() => new ChrF().Corpus(hyps, refs));
double both = Seconds(() => { new Bleu().Corpus(hyps, refs); new ChrF().Corpus(hyps, refs); });
Console.WriteLine(JsonSerializer.Serialize(new
{
    lines,
    cores = Environment.ProcessorCount,
    bleu_seconds = Math.Round(bleu, 3),
    bleu_lines_per_s = Math.Round(lines / bleu),
    chrf_seconds = Math.Round(chrf, 3),
    chrf_lines_per_s = Math.Round(lines / chrf),
    both_seconds = Math.Round(both, 3),
    both_lines_per_s = Math.Round(lines / both),
}));
