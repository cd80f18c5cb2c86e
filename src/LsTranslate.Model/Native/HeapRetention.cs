using System.Runtime.InteropServices;

namespace LsTranslate.Model.Native;

/// <summary>
/// Makes glibc keep freed tensor memory for the next allocation instead of handing it back to the kernel.
/// By default glibc serves blocks above a moving threshold with fresh mmap pages and trims the heap top after
/// frees, so every training step page-faulted (and zeroed) its activations again: the kernel's time was a fifth
/// of a bf16 update here. With the mmap threshold at its ceiling (32 MB) and trimming off, a step's tensors,
/// which the chunked loss keeps under that size, reuse the previous step's pages. RSS stays at its peak instead
/// of dropping between steps. A user's own MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ wins; other C
/// libraries (musl) and other systems are left alone. Over hundreds of updates glibc's free lists still fragment (the
/// resident set doubles and updates slow), so ./lstranslate preloads tcmalloc where it is installed
/// (build/allocator.sh), whose mallopt does nothing: this is the fallback.
/// </summary>
public static class HeapRetention
{
    const int TrimThreshold = -1, MmapThreshold = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in glibc's malloc.h
    const int MmapCeiling = 32 << 20;                  // DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
    static bool applied;

    public static void Apply()
    {
        if (applied || !OperatingSystem.IsLinux()) return;
        applied = true;
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null ||
            Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null) return;
        try
        {
            mallopt(MmapThreshold, MmapCeiling);
            mallopt(TrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator keeps its own policy.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}
