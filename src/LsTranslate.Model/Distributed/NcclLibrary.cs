using System.Runtime.InteropServices;
using LsTranslate.Model.Native;

namespace LsTranslate.Model.Distributed;

/// <summary>
/// The NCCL calls data-parallel training on GPUs needs, bound to the libnccl.so.2 the CUDA libtorch uses: the one already
/// mapped into this process, else the one a PyTorch install keeps beside torch (site-packages/nvidia/nccl/lib).
/// </summary>
sealed unsafe class NcclLibrary
{
    public const int Float32 = 7, Float64 = 8, Sum = 0;
    public const string FileName = "libnccl.so.2", PathVariable = "LSTRANSLATE_NCCL_LIBRARY";

    [StructLayout(LayoutKind.Sequential)]
    public struct UniqueId
    {
        public fixed byte Bytes[128];
    }

    public readonly string Path;
    readonly delegate* unmanaged<int*, int> getVersion;
    readonly delegate* unmanaged<UniqueId*, int> getUniqueId;
    readonly delegate* unmanaged<IntPtr*, int, UniqueId, int, int> commInitRank;
    readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int> allReduce;
    readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int> broadcast;
    readonly delegate* unmanaged<IntPtr, int> commDestroy;
    readonly delegate* unmanaged<int, IntPtr> errorString;

    NcclLibrary(string path, IntPtr handle)
    {
        Path = path;
        IntPtr F(string name) => NativeLibrary.GetExport(handle, name);
        getVersion = (delegate* unmanaged<int*, int>)F("ncclGetVersion");
        getUniqueId = (delegate* unmanaged<UniqueId*, int>)F("ncclGetUniqueId");
        commInitRank = (delegate* unmanaged<IntPtr*, int, UniqueId, int, int>)F("ncclCommInitRank");
        allReduce = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)F("ncclAllReduce");
        broadcast = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)F("ncclBroadcast");
        commDestroy = (delegate* unmanaged<IntPtr, int>)F("ncclCommDestroy");
        errorString = (delegate* unmanaged<int, IntPtr>)F("ncclGetErrorString");
    }

    public static NcclLibrary Load()
    {
        var candidates = Candidates().Distinct().ToList();
        foreach (var candidate in candidates)
            if (NativeLibrary.TryLoad(candidate, out var handle))
                return new NcclLibrary(candidate, handle);
        throw new InputError($"NCCL is needed to sum gradients across GPUs, but no {FileName} loads (tried {string.Join(", ", candidates)}); " +
                             $"install PyTorch's nvidia-nccl package or name the library in {PathVariable}");
    }

    static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } given)
        {
            yield return given;
            yield break;
        }
        if (DynamicLoader.MappedPath(FileName) is { } mapped) yield return mapped;
        // A pip install keeps torch/lib and nvidia/nccl/lib side by side in site-packages.
        if (DynamicLoader.MappedPath("libtorch_cpu.so") is { } torch)
            yield return System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(torch)!, "..", "..", "nvidia", "nccl", "lib", FileName));
        yield return FileName;
    }

    public string Version()
    {
        int version;
        Check(getVersion(&version), "ncclGetVersion");
        // NCCL 2.9 and later: major × 10000 + minor × 100 + patch.
        return $"{version / 10000}.{version / 100 % 100}.{version % 100}";
    }

    public UniqueId NewId()
    {
        UniqueId id;
        Check(getUniqueId(&id), "ncclGetUniqueId");
        return id;
    }

    public IntPtr InitRank(int ranks, UniqueId id, int rank)
    {
        IntPtr comm;
        Check(commInitRank(&comm, ranks, id, rank), "ncclCommInitRank");
        return comm;
    }

    /// <summary>In place, on the default stream (TorchSharp exposes no other).</summary>
    public void AllReduce(IntPtr buffer, long count, int type, IntPtr comm) =>
        Check(allReduce(buffer, buffer, (nuint)count, type, Sum, comm, IntPtr.Zero), "ncclAllReduce");

    public void Broadcast(IntPtr buffer, long count, int type, int root, IntPtr comm) =>
        Check(broadcast(buffer, buffer, (nuint)count, type, root, comm, IntPtr.Zero), "ncclBroadcast");

    public void Destroy(IntPtr comm) => commDestroy(comm);

    void Check(int code, string call)
    {
        if (code != 0) throw new InvalidOperationException($"{call} failed ({code}): {Marshal.PtrToStringUTF8(errorString(code))}");
    }
}
