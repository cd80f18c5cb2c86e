using System.Text.Json.Serialization;

namespace LsTranslate.Model.Runs;

/// <summary>
/// Where and how fast a run trains (run.json beside config.json): never part of the recipe, so a run may continue on
/// another device, thread count or precision and still be the same model.
/// </summary>
/// <param name="Device">cpu, cuda or cuda:N.</param>
/// <param name="Threads">CPU threads; 0 uses every core.</param>
/// <param name="Precision">fp32, bf16 or auto; run.json records what auto chose.</param>
/// <param name="Ranks">the processes a launcher started for the run (data-parallel), as run.json records it; never an option.</param>
public sealed record RunSettings(string Device = "cpu", int Threads = 0, string Precision = "auto", int Ranks = 1)
{
    // Derived, not recorded: run.json holds the settings above, with auto already resolved.
    [JsonIgnore]
    public TorchSharp.torch.Device TorchDevice => Devices.Parse(Device);

    [JsonIgnore]
    public Precision ResolvedPrecision => Precisions.Resolve(Precision, TorchDevice);

    /// <summary>These settings with auto resolved, as a run records them.</summary>
    public RunSettings Resolved() => this with { Precision = ResolvedPrecision.Name() };

    /// <summary>
    /// Takes the thread count for this process (0 leaves libtorch's default: every core) and makes the C heap keep
    /// freed tensor memory (<see cref="Native.HeapRetention"/>).
    /// </summary>
    public void ApplyToProcess()
    {
        if (Threads > 0) TorchSharp.torch.set_num_threads(Threads);
        Native.HeapRetention.Apply();
    }
}
