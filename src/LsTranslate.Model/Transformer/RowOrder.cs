using static TorchSharp.torch;

namespace LsTranslate.Model.Transformer;

/// <summary>
/// A new order of a decoder state's rows, as the search knows it on the host: row i of the reordered state is old row
/// <see cref="Rows"/>[i] (repeats allowed). The index tensor a device needs is made from it once and shared by every
/// state it reorders (an ensemble's members), so a reorder never reads its indices back from the device.
/// </summary>
public sealed class RowOrder(long[] rows) : IDisposable
{
    readonly List<Tensor> made = [];

    public long[] Rows { get; } = rows;

    /// <summary>The rows as [Rows.Length] int64 on <paramref name="device"/>, made on first use and owned by this order.</summary>
    public Tensor On(Device device)
    {
        var index = made.FirstOrDefault(t => t.device_type == device.type && t.device_index == device.index);
        if (index is null)
        {
            index = tensor(Rows, device: device).DetachFromDisposeScope();
            made.Add(index);
        }
        return index;
    }

    public void Dispose()
    {
        foreach (var index in made) index.Dispose();
        made.Clear();
    }
}
