using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model.Distributed;

/// <summary>
/// The processes of one run and the collective operations they take part in together; every rank calls each operation
/// in the same order. <see cref="World"/> is this process's: one process alone unless a launcher started several.
/// </summary>
public abstract class Communicator
{
    public abstract int Rank { get; }
    public abstract int Size { get; }
    public bool IsRoot => Rank == 0;

    /// <summary>What carries the data: "one process", or the MPI library and version, for logs.</summary>
    public abstract string Describe();

    /// <summary>Replaces a contiguous tensor on every rank with the sum of all ranks' tensors (same shape and type everywhere).</summary>
    public abstract void SumInPlace(Tensor tensor);

    /// <summary>Copies rank <paramref name="root"/>'s contiguous tensor into the others'.</summary>
    public abstract void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Rank <paramref name="root"/>'s bytes on every rank (what the others pass is ignored).</summary>
    public abstract byte[] Broadcast(byte[] data, int root = 0);

    /// <summary>Every rank's bytes in rank order, on rank <paramref name="root"/>; an empty list on the others.</summary>
    public abstract IReadOnlyList<byte[]> Gather(byte[] data, int root = 0);

    public abstract void Barrier();

    /// <summary>Ends every rank of the run now, with this exit code.</summary>
    public abstract void Abort(int exitCode);

    /// <summary>Sums a few host values across ranks (flags, counts, a clock): one small collective.</summary>
    public double[] Sum(params double[] values)
    {
        if (Size == 1) return values;
        using var buffer = tensor(values, ScalarType.Float64);
        SumInPlace(buffer);
        return buffer.data<double>().ToArray();
    }

    /// <summary>Rank <paramref name="root"/>'s value on every rank, through our JSON style.</summary>
    public T Broadcast<T>(T value, int root = 0) =>
        Size == 1 ? value : System.Text.Json.JsonSerializer.Deserialize<T>(Broadcast(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, IO.Json.Line), root), IO.Json.Line)!;

    static Communicator? world;
    static readonly object Starting = new();

    /// <summary>
    /// This process's communicator, started on first use: MPI only when a launcher's variables say the process is one of
    /// several; a launcher whose MPI we cannot bind is refused, never run as N separate processes.
    /// </summary>
    public static Communicator World
    {
        get
        {
            lock (Starting)
                return world ??= Start(LaunchedRank.FromEnvironment(Environment.GetEnvironmentVariable));
        }
    }

    /// <summary>Whether MPI was started in this process (so an error must end every rank, and the end must finalize it).</summary>
    public static bool IsMultiProcess => world is MpiCommunicator;

    static Communicator Start(LaunchedRank? launched)
    {
        if (launched is not { OneOfSeveral: true }) return new SingleProcess();
        if (launched.IsOpenMpi)
            throw new InputError($"started by Open MPI's launcher ({launched.Launcher}), whose ABI LsTranslate does not bind; " +
                                 "start it with an MPICH-family launcher (MPICH, Intel MPI, MVAPICH, Cray MPICH; Debian: mpiexec.mpich from the mpich package)");
        return MpiCommunicator.Start(launched);
    }

    /// <summary>Ends MPI cleanly where it was started; every rank calls it once at its end.</summary>
    public static void FinishWorld()
    {
        if (world is MpiCommunicator mpi) mpi.End();
    }
}

/// <summary>One process: every collective is the identity.</summary>
public sealed class SingleProcess : Communicator
{
    public override int Rank => 0;
    public override int Size => 1;
    public override string Describe() => "one process";
    public override void SumInPlace(Tensor tensor) { }
    public override void Broadcast(Tensor tensor, int root = 0) { }
    public override byte[] Broadcast(byte[] data, int root = 0) => data;
    public override IReadOnlyList<byte[]> Gather(byte[] data, int root = 0) => [data];
    public override void Barrier() { }
    public override void Abort(int exitCode) => Environment.Exit(exitCode);
}
