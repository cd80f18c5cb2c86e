using System.Threading.Channels;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Server;

/// <summary>
/// One model the server holds, loaded once, with what /v1/models says of it. Requests go into a bounded queue; one
/// worker takes them out and translates requests that share the search options together — collecting for a short
/// window, up to a number of lines — so concurrent clients fill one batch instead of waiting for each other's.
/// </summary>
public sealed class ServedModel : IDisposable
{
    sealed record Work(IReadOnlyList<string> Lines, SearchOptions Search, TaskCompletionSource<IReadOnlyList<TranslatedLine>> Done);

    readonly IReadOnlyList<LoadedModel> members;
    readonly Channel<Work> queue;
    readonly ServeLimits limits;
    readonly Task worker;
    volatile bool closing;
    // Read once with the model: a request never touches the disk.
    readonly Model.Runs.CalibrationRecord? calibration;

    public ServedModel(string name, IIncrementalSeq2Seq network, IReadOnlyList<LoadedModel> members, ServeLimits? limits = null)
    {
        Name = name;
        Network = network;
        this.members = members;
        this.limits = limits ?? new ServeLimits();
        calibration = members.Count == 1 ? First.Directory.ReadCalibration() : null;
        FittedTemperature = members.Count == 1 ? First.Directory.FittedTemperature() : null;
        queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(Math.Max(1, this.limits.MaxQueue)) { SingleReader = true });
        worker = Task.Run(Serve);
    }

    public string Name { get; }

    /// <summary>Batches translated so far (each from one or more requests).</summary>
    public int BatchesRun => batches;

    /// <summary>Requests queued for this model and not yet taken into a batch (what /health reports to a balancer).</summary>
    public int Waiting => queue.Reader.Count;
    int batches;
    public IIncrementalSeq2Seq Network { get; }
    public LoadedModel First => members[0];

    /// <summary>The temperature `calibrate` fitted (<see cref="ModelDirectory.FittedTemperature"/>); null for an ensemble or before calibration.</summary>
    public double? FittedTemperature { get; }

    public object Describe()
    {
        return new
        {
            name = Name,
            directories = members.Select(m => m.Directory.Path),
            languages = members.Select(m => m.Config.Languages).Distinct().Count() == 1 ? First.Config.Languages ?? "unknown" : "unknown",
            vocab_size = First.Config.Model.VocabSize,
            label_smoothing = members.Select(m => m.Config.Training.LabelSmoothing),
            precision = First.Model.Precision.Name(),
            temperature = FittedTemperature,
            dev_ece = calibration?.EceBefore,
            dev_ece_after_temperature = calibration?.EceAfter,
        };
    }

    /// <summary>The translations of <paramref name="lines"/>; null when the queue is full or the answer takes longer than the limit.</summary>
    public async Task<IReadOnlyList<TranslatedLine>?> Translate(IReadOnlyList<string> lines, SearchOptions search)
    {
        if (limits.MaxQueue < 1) return null;
        var work = new Work(lines, search, new TaskCompletionSource<IReadOnlyList<TranslatedLine>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(work)) return null;
        try
        {
            return await work.Done.Task.WaitAsync(limits.Timeout);
        }
        catch (TimeoutException)
        {
            // Its client is answered 503 now: the worker drops it instead of translating it for no one.
            work.Done.TrySetCanceled();
            return null;
        }
        catch (OperationCanceledException)
        {
            return null; // the server is shutting down
        }
    }

    async Task Serve()
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (!reader.TryRead(out var first) || first.Done.Task.IsCompleted) continue;
            var group = new List<Work> { first };
            int lines = first.Lines.Count;
            var window = Task.Delay(limits.BatchWindow);
            while (lines < limits.MaxBatch)
            {
                if (reader.TryPeek(out var next))
                {
                    if (next.Done.Task.IsCompleted)
                    {
                        reader.TryRead(out _);
                        continue;
                    }
                    if (next.Search != first.Search || lines + next.Lines.Count > limits.MaxBatch) break;
                    reader.TryRead(out next);
                    group.Add(next!);
                    lines += next!.Lines.Count;
                    continue;
                }
                // A completed queue answers "no more" at once: stop collecting instead of spinning until the window ends.
                var more = reader.WaitToReadAsync().AsTask();
                if (await Task.WhenAny(more, window) == window || !await more) break;
            }
            Run(group);
        }
    }

    void Run(List<Work> group)
    {
        // A request whose client was answered 503 while its batch was collecting is not translated for no one.
        group.RemoveAll(work => work.Done.Task.IsCompleted);
        if (group.Count == 0) return;
        if (closing)
        {
            // Shutting down: what is still queued is answered at once, not translated.
            foreach (var work in group) work.Done.TrySetCanceled();
            return;
        }
        Interlocked.Increment(ref batches);
        try
        {
            var translator = new Translator(Network, First.Tokenizer, group[0].Search, new BatchingOptions(), Devices.Of(First.Model), tokenScores: true);
            var all = translator.Translate(group.SelectMany(w => w.Lines)).ToList();
            int start = 0;
            foreach (var work in group)
            {
                work.Done.TrySetResult(all.GetRange(start, work.Lines.Count));
                start += work.Lines.Count;
            }
        }
        catch (Exception e)
        {
            foreach (var work in group) work.Done.TrySetException(e);
        }
    }

    public void Dispose()
    {
        closing = true;
        queue.Writer.TryComplete();
        // Weights still in use by a batch that outlasts the wait are left to the process's end rather than freed under it.
        if (worker.Wait(TimeSpan.FromSeconds(30)))
            foreach (var member in members) member.Dispose();
    }
}
