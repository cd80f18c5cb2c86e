using System.Runtime.InteropServices;

namespace LsTranslate.Model.Distributed;

/// <summary>
/// The few MPI calls LsTranslate makes, bound to a library of MPICH's ABI. That ABI gives every handle (communicator,
/// datatype, operation) as a fixed integer, shared by MPICH, Intel MPI, MVAPICH and Cray MPICH, so one binding serves
/// them all with no compiled shim; Open MPI's handles are addresses of its own symbols and its structures differ.
/// </summary>
sealed unsafe class MpichLibrary
{
    public const int CommWorld = 0x44000000;
    public const int Byte = 0x4c00010d, Int = 0x4c000405, Float = 0x4c00040a, Double = 0x4c00080b, LongLong = 0x4c000809;
    public const int Sum = 0x58000003;
    const int ThreadSerialized = 2, MaxLibraryVersion = 8192, MaxErrorString = 512;
    public static readonly IntPtr InPlace = -1;
    static readonly IntPtr StatusIgnore = 1; // MPI_STATUS_IGNORE

    /// <summary>Where each flavour installs it: Debian's MPICH, then the ABI's common name (Intel MPI, MVAPICH, Cray).</summary>
    public static readonly string[] Names = ["libmpich.so.12", "libmpi.so.12"];
    public const string PathVariable = "LSTRANSLATE_MPI_LIBRARY";

    public readonly string Path;
    readonly delegate* unmanaged<int*, byte***, int, int*, int> initThread;
    readonly delegate* unmanaged<int*, int> initialized;
    readonly delegate* unmanaged<int> finalize;
    readonly delegate* unmanaged<int, int*, int> commRank, commSize;
    readonly delegate* unmanaged<IntPtr, IntPtr, int, int, int, int, int> allReduce;
    readonly delegate* unmanaged<IntPtr, int, int, int, int, int> bcast;
    readonly delegate* unmanaged<IntPtr, int, int, IntPtr, int, int, int, int, int> gather;
    readonly delegate* unmanaged<IntPtr, int, int, IntPtr, int*, int*, int, int, int, int> gatherv;
    readonly delegate* unmanaged<int, int> barrier;
    readonly delegate* unmanaged<int, int*, int> ibarrier;
    readonly delegate* unmanaged<int*, int*, IntPtr, int> test;
    readonly delegate* unmanaged<int, int, int> abort;
    readonly delegate* unmanaged<byte*, int*, int> libraryVersion;
    readonly delegate* unmanaged<int, byte*, int*, int> errorString;

    MpichLibrary(string path, IntPtr handle)
    {
        Path = path;
        IntPtr F(string name) => NativeLibrary.GetExport(handle, name);
        initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)F("MPI_Init_thread");
        initialized = (delegate* unmanaged<int*, int>)F("MPI_Initialized");
        finalize = (delegate* unmanaged<int>)F("MPI_Finalize");
        commRank = (delegate* unmanaged<int, int*, int>)F("MPI_Comm_rank");
        commSize = (delegate* unmanaged<int, int*, int>)F("MPI_Comm_size");
        allReduce = (delegate* unmanaged<IntPtr, IntPtr, int, int, int, int, int>)F("MPI_Allreduce");
        bcast = (delegate* unmanaged<IntPtr, int, int, int, int, int>)F("MPI_Bcast");
        gather = (delegate* unmanaged<IntPtr, int, int, IntPtr, int, int, int, int, int>)F("MPI_Gather");
        gatherv = (delegate* unmanaged<IntPtr, int, int, IntPtr, int*, int*, int, int, int, int>)F("MPI_Gatherv");
        barrier = (delegate* unmanaged<int, int>)F("MPI_Barrier");
        ibarrier = (delegate* unmanaged<int, int*, int>)F("MPI_Ibarrier");
        test = (delegate* unmanaged<int*, int*, IntPtr, int>)F("MPI_Test");
        abort = (delegate* unmanaged<int, int, int>)F("MPI_Abort");
        libraryVersion = (delegate* unmanaged<byte*, int*, int>)F("MPI_Get_library_version");
        errorString = (delegate* unmanaged<int, byte*, int*, int>)F("MPI_Error_string");
    }

    /// <summary>The library named by LSTRANSLATE_MPI_LIBRARY, else the first of <see cref="Names"/> the loader finds.</summary>
    public static MpichLibrary Load()
    {
        var candidates = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } given ? [given] : Names;
        foreach (var candidate in candidates)
            if (NativeLibrary.TryLoad(candidate, out var handle))
                return new MpichLibrary(candidate, handle);
        throw new InputError($"this process is one of several, but no MPI library of MPICH's ABI loads (tried {string.Join(", ", candidates)}); " +
                             $"install one (Debian: apt-get install mpich) or name it in {PathVariable}");
    }

    public string LibraryVersion()
    {
        var text = new byte[MaxLibraryVersion];
        int length;
        fixed (byte* p = text) Check(libraryVersion(p, &length), "MPI_Get_library_version");
        return System.Text.Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length)).Trim('\0', ' ', '\n', '\t');
    }

    /// <summary>MPI_Init_thread asking for serialized calls (one thread at a time): libtorch's threads never call MPI.</summary>
    public void Initialize()
    {
        int done;
        Check(initialized(&done), "MPI_Initialized");
        if (done != 0) return;
        int provided;
        Check(initThread(null, null, ThreadSerialized, &provided), "MPI_Init_thread");
        if (provided < ThreadSerialized)
            throw new InvalidOperationException($"{Path} gives thread level {provided}, below MPI_THREAD_SERIALIZED");
    }

    public void Shutdown() => Check(finalize(), "MPI_Finalize");

    public int Rank() { int r; Check(commRank(CommWorld, &r), "MPI_Comm_rank"); return r; }
    public int Size() { int s; Check(commSize(CommWorld, &s), "MPI_Comm_size"); return s; }
    // Each collective first waits, sleeping, until every rank has arrived (Arrive), then runs MPICH's blocking call,
    // which polls only for as long as the data moves.
    public void AllReduce(IntPtr buffer, int count, int type, int op)
    {
        Arrive();
        Check(allReduce(InPlace, buffer, count, type, op, CommWorld), "MPI_Allreduce");
    }

    public void Bcast(IntPtr buffer, int count, int type, int root)
    {
        Arrive();
        Check(bcast(buffer, count, type, root, CommWorld), "MPI_Bcast");
    }

    public void Gather(IntPtr send, int count, int type, IntPtr receive, int root)
    {
        Arrive();
        Check(gather(send, count, type, receive, count, type, root, CommWorld), "MPI_Gather");
    }

    public void Gatherv(IntPtr send, int count, IntPtr receive, int[] counts, int[] offsets, int root)
    {
        Arrive();
        fixed (int* c = counts, o = offsets) Check(gatherv(send, count, Byte, receive, c, o, Byte, root, CommWorld), "MPI_Gatherv");
    }

    public void Barrier() => Arrive();

    /// <summary>
    /// Returns once every rank has called it. MPICH's blocking calls poll on the CPU for as long as they wait, so a rank
    /// waiting for another (validating, saving, decoding a longer batch) would burn a core the working ranks could use.
    /// This one polls a non-blocking barrier freely for <see cref="PollFreely"/> (ranks that arrive together), then
    /// sleeps between polls, the pause doubling up to <see cref="LongestPause"/>. Waiting on a non-blocking sum itself
    /// would not do: its data moves only while polled, and sleeping between polls made a 40 MB sum 6× slower.
    /// </summary>
    void Arrive()
    {
        int request, done = 0;
        Check(ibarrier(CommWorld, &request), "MPI_Ibarrier");
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pause = ShortestPause;
        while (true)
        {
            Check(test(&request, &done, StatusIgnore), "MPI_Test");
            if (done != 0) return;
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) < PollFreely) continue;
            Native.Pause.For(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    static readonly TimeSpan PollFreely = TimeSpan.FromMilliseconds(1), ShortestPause = TimeSpan.FromMicroseconds(50), LongestPause = TimeSpan.FromMilliseconds(1);
    public void Abort(int code) => abort(CommWorld, code);

    void Check(int code, string call)
    {
        if (code == 0) return;
        var text = new byte[MaxErrorString];
        int length = 0;
        fixed (byte* p = text) errorString(code, p, &length);
        throw new InvalidOperationException($"{call} failed ({code}): {System.Text.Encoding.UTF8.GetString(text, 0, Math.Clamp(length, 0, text.Length))}");
    }
}
