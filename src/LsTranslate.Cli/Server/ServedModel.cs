using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;

namespace LsTranslate.Cli.Server;

/// <summary>One model the server holds, loaded once, with what /v1/models says of it; one request at a time uses it.</summary>
public sealed class ServedModel(string name, IIncrementalSeq2Seq network, IReadOnlyList<LoadedModel> members) : IDisposable
{
    readonly SemaphoreSlim turn = new(1, 1);
    int waiting;

    public string Name { get; } = name;
    public IIncrementalSeq2Seq Network { get; } = network;
    public LoadedModel First { get; } = members[0];

    /// <summary>The temperature its calibration record holds, or null.</summary>
    public double? FittedTemperature => members.Count == 1 ? First.Directory.FittedTemperature() : null;

    public object Describe()
    {
        var calibration = members.Count == 1 ? First.Directory.ReadCalibration() : null;
        return new
        {
            name = Name,
            directories = members.Select(m => m.Directory.Path),
            languages = "unknown",
            vocab_size = First.Config.Model.VocabSize,
            label_smoothing = members.Select(m => m.Config.Training.LabelSmoothing),
            precision = First.Model.Precision.Name(),
            temperature = calibration?.Temperature ?? FittedTemperature,
            dev_ece = calibration?.EceBefore,
            dev_ece_after_temperature = calibration?.EceAfter,
        };
    }

    /// <summary>Runs <paramref name="work"/> with the model to itself; null when too many wait or the wait times out.</summary>
    public async Task<T?> WithTurn<T>(ServeLimits limits, Func<T> work) where T : class
    {
        if (Interlocked.Increment(ref waiting) > limits.MaxQueue)
        {
            Interlocked.Decrement(ref waiting);
            return null;
        }
        try
        {
            if (!await turn.WaitAsync(limits.Timeout)) return null;
            try { return work(); }
            finally { turn.Release(); }
        }
        finally { Interlocked.Decrement(ref waiting); }
    }

    public void Dispose()
    {
        foreach (var member in members) member.Dispose();
        turn.Dispose();
    }
}
