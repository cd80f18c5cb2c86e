using LsTranslate.Model.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Distributed;

/// <summary>
/// The ranks of a run on GPUs: CUDA tensors are summed and broadcast by NCCL in place on device memory, then the device
/// is synchronised; everything else goes over the host communicator it wraps, which also carries NCCL's unique id from
/// rank 0 to the others (as Marian does).
/// </summary>
public sealed class NcclCommunicator : Communicator, IDisposable
{
    readonly Communicator host;
    readonly NcclLibrary nccl;
    readonly Device device;
    readonly string version;
    IntPtr comm;

    NcclCommunicator(Communicator host, NcclLibrary nccl, Device device, IntPtr comm)
    {
        this.host = host;
        this.nccl = nccl;
        this.device = device;
        this.comm = comm;
        version = nccl.Version();
    }

    /// <summary>Starts NCCL on <paramref name="device"/> (this rank's GPU) for the ranks of <paramref name="host"/>.</summary>
    public static unsafe NcclCommunicator Start(Communicator host, Device device)
    {
        if (device.type != DeviceType.CUDA) throw new ArgumentException($"NCCL sums CUDA tensors; this rank trains on {device}");
        var nccl = NcclLibrary.Load();
        var id = host.IsRoot ? nccl.NewId() : default;
        var bytes = new byte[sizeof(NcclLibrary.UniqueId)];
        fixed (byte* b = bytes) *(NcclLibrary.UniqueId*)b = id;
        bytes = host.Broadcast(bytes);
        fixed (byte* b = bytes) id = *(NcclLibrary.UniqueId*)b;
        // NCCL binds the communicator to the current CUDA device: make it this rank's before it starts (a tensor there
        // first, so that libtorch has loaded the CUDA runtime whose cudaSetDevice we call).
        using (zeros(1, device: device)) { }
        CudaRuntime.SetDevice(device.index < 0 ? 0 : device.index);
        return new NcclCommunicator(host, nccl, device, nccl.InitRank(host.Size, id, host.Rank));
    }

    public override int Rank => host.Rank;
    public override int Size => host.Size;
    public override string Describe() => $"{host.Describe()}; gradients over NCCL {version} ({nccl.Path}) on {device}";

    public override void SumInPlace(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CUDA)
        {
            host.SumInPlace(tensor);
            return;
        }
        nccl.AllReduce(TensorMemory.Address(tensor), tensor.numel(), Type(tensor.dtype), comm);
        cuda.synchronize(tensor.device);
    }

    public override void Broadcast(Tensor tensor, int root = 0)
    {
        if (tensor.device_type != DeviceType.CUDA)
        {
            host.Broadcast(tensor, root);
            return;
        }
        nccl.Broadcast(TensorMemory.Address(tensor), tensor.numel(), Type(tensor.dtype), root, comm);
        cuda.synchronize(tensor.device);
    }

    public override byte[] Broadcast(byte[] data, int root = 0) => host.Broadcast(data, root);
    public override IReadOnlyList<byte[]> Gather(byte[] data, int root = 0) => host.Gather(data, root);
    public override void Barrier() => host.Barrier();
    public override void Abort(int exitCode) => host.Abort(exitCode);

    public void Dispose()
    {
        if (comm == IntPtr.Zero) return;
        nccl.Destroy(comm);
        comm = IntPtr.Zero;
    }

    static int Type(ScalarType type) => type switch
    {
        ScalarType.Float32 => NcclLibrary.Float32,
        ScalarType.Float64 => NcclLibrary.Float64,
        _ => throw new ArgumentException($"no NCCL sum for {type} tensors"),
    };
}
