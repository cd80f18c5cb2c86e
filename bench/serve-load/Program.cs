// Drives a running `lstranslate serve` on the loopback address with N concurrent clients, each sending a bounded
// number of one-sentence requests (sentences from a file, in turn); prints one JSON object per N: sentences/s,
// p50/p99 latency (ms) and errors. Bounded in count and in time (a client stops after --seconds).
//   ServeLoad URL SENTENCES.txt REQUESTS_PER_CLIENT SECONDS CLIENTS...
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

if (args.Length < 5) throw new ArgumentException("usage: URL SENTENCES.txt REQUESTS_PER_CLIENT SECONDS CLIENTS...");
var url = new Uri(args[0]);
if (!url.IsLoopback) throw new ArgumentException("the load stays on this machine: give a 127.0.0.1 / localhost URL");
var sentences = File.ReadAllLines(args[1]).Where(l => l.Length > 0).ToArray();
int perClient = int.Parse(args[2]);
var limit = TimeSpan.FromSeconds(double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
var results = new List<object>();
foreach (int clients in args.Skip(4).Select(int.Parse))
{
    var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    int errors = 0, next = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        for (int i = 0; i < perClient && clock.Elapsed < limit; i++)
        {
            string text = sentences[Interlocked.Increment(ref next) % sentences.Length];
            var start = clock.Elapsed;
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/translate", new { text });
                if (response.IsSuccessStatusCode) latencies.Add((clock.Elapsed - start).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }
            catch (HttpRequestException) { Interlocked.Increment(ref errors); }
        }
    }));
    double seconds = clock.Elapsed.TotalSeconds;
    var sorted = latencies.Order().ToArray();
    double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    results.Add(new
    {
        clients, sentences = sorted.Length, errors, seconds = Math.Round(seconds, 2),
        sentences_per_s = Math.Round(sorted.Length / seconds, 2), p50_ms = Math.Round(Percentile(0.5), 1), p99_ms = Math.Round(Percentile(0.99), 1),
    });
}
Console.WriteLine(JsonSerializer.Serialize(results));
