using LsTranslate.Model.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Distributed;

/// <summary>The processes a launcher started, through MPI's world communicator. Device tensors travel through host memory.</summary>
sealed unsafe class MpiCommunicator : Communicator
{
    // MPI counts are ints; longer buffers go in slices of this many elements.
    const int Slice = 1 << 28;
    readonly MpichLibrary mpi;
    readonly string version;
    bool finished;

    public override int Rank { get; }
    public override int Size { get; }

    MpiCommunicator(MpichLibrary mpi, string version)
    {
        this.mpi = mpi;
        this.version = version;
        Rank = mpi.Rank();
        Size = mpi.Size();
    }

    public static MpiCommunicator Start(LaunchedRank launched)
    {
        var mpi = MpichLibrary.Load();
        // MPI_Get_library_version may be called before MPI_Init: a library of the wrong flavour is refused before it starts.
        var version = mpi.LibraryVersion();
        if (version.Contains("Open MPI", StringComparison.OrdinalIgnoreCase))
            throw new InputError($"{mpi.Path} is Open MPI ({FirstLine(version)}), whose ABI LsTranslate does not bind; name an MPICH-family library in {MpichLibrary.PathVariable}");
        mpi.Initialize();
        var communicator = new MpiCommunicator(mpi, FirstLine(version));
        if (launched.Size is { } size && size != communicator.Size)
            throw new InputError($"the launcher ({launched.Launcher}) started {size} processes, but {mpi.Path} sees {communicator.Size}: " +
                                 "start the run with the launcher of the same MPI install");
        return communicator;
    }

    static string FirstLine(string text) => System.Text.RegularExpressions.Regex.Replace(text.Split('\n')[0].Trim(), @"\s+", " ");

    public override string Describe() => $"{Size} ranks over MPI ({version})";

    public override void SumInPlace(Tensor tensor) => OnHost(tensor, host =>
    {
        int type = Type(host.dtype);
        long count = host.numel(), elementSize = host.ElementSize;
        var address = TensorMemory.Address(host);
        for (long start = 0; start < count; start += Slice)
            mpi.AllReduce(address + (nint)(start * elementSize), (int)Math.Min(Slice, count - start), type, MpichLibrary.Sum);
    });

    public override void Broadcast(Tensor tensor, int root = 0) => OnHost(tensor, host =>
    {
        long bytes = host.numel() * host.ElementSize;
        var address = TensorMemory.Address(host);
        for (long start = 0; start < bytes; start += Slice)
            mpi.Bcast(address + (nint)start, (int)Math.Min(Slice, bytes - start), MpichLibrary.Byte, root);
    });

    public override byte[] Broadcast(byte[] data, int root = 0)
    {
        long length = data.Length;
        mpi.Bcast((IntPtr)(&length), 1, MpichLibrary.LongLong, root);
        var result = Rank == root ? data : new byte[length];
        fixed (byte* p = result) mpi.Bcast((IntPtr)p, (int)length, MpichLibrary.Byte, root);
        return result;
    }

    public override IReadOnlyList<byte[]> Gather(byte[] data, int root = 0)
    {
        int length = data.Length;
        var lengths = new int[Size];
        fixed (int* all = lengths) mpi.Gather((IntPtr)(&length), 1, MpichLibrary.Int, (IntPtr)all, root);
        var offsets = new int[Size];
        for (int r = 1; r < Size; r++) offsets[r] = checked(offsets[r - 1] + lengths[r - 1]);
        var joined = new byte[Rank == root ? offsets[^1] + lengths[^1] : 0];
        fixed (byte* send = data, receive = joined) mpi.Gatherv((IntPtr)send, length, (IntPtr)receive, lengths, offsets, root);
        return Rank == root ? [.. Enumerable.Range(0, Size).Select(r => joined.AsSpan(offsets[r], lengths[r]).ToArray())] : [];
    }

    public override void Barrier() => mpi.Barrier();

    public override void Abort(int exitCode) => mpi.Abort(exitCode);

    public void End()
    {
        if (finished) return;
        finished = true;
        mpi.Shutdown();
    }

    /// <summary>Runs <paramref name="operation"/> on the tensor's memory, through a host copy where it lives on a device.</summary>
    static void OnHost(Tensor tensor, Action<Tensor> operation)
    {
        if (!tensor.is_contiguous()) throw new ArgumentException("MPI reads and writes a tensor in place: it must be contiguous");
        if (tensor.device_type == DeviceType.CPU)
        {
            operation(tensor);
            return;
        }
        using var host = tensor.cpu();
        operation(host);
        tensor.copy_(host);
    }

    static int Type(ScalarType type) => type switch
    {
        ScalarType.Float32 => MpichLibrary.Float,
        ScalarType.Float64 => MpichLibrary.Double,
        ScalarType.Int32 => MpichLibrary.Int,
        ScalarType.Int64 => MpichLibrary.LongLong,
        _ => throw new ArgumentException($"no MPI sum for {type} tensors"),
    };
}
