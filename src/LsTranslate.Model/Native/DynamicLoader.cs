using System.Runtime.InteropServices;

namespace LsTranslate.Model.Native;

/// <summary>
/// The C loader's dlopen with RTLD_NOW. NativeLibrary.Load binds lazily, so a libtorch that lacks a function TorchSharp
/// calls would load and then end the process at the first call; binding every symbol at once finds it up front.
/// </summary>
static class DynamicLoader
{
    const int RtldNow = 0x2, RtldGlobal = 0x100;

    [DllImport("libc.so.6", EntryPoint = "dlopen")]
    static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int flags);

    [DllImport("libc.so.6", EntryPoint = "dlerror")]
    static extern IntPtr DlError();

    /// <param name="global">whether libraries loaded later may bind to its symbols (as PyTorch loads its global deps).</param>
    /// <returns>null once loaded, else the loader's reason.</returns>
    public static string? Open(string path, bool global = false)
    {
        // Binds dlerror before dlopen runs: binding it afterwards would clear the message we want.
        DlError();
        var handle = DlOpen(path, RtldNow | (global ? RtldGlobal : 0));
        return handle != IntPtr.Zero ? null : Marshal.PtrToStringUTF8(DlError()) ?? "the loader gave no reason";
    }

    [DllImport("libc.so.6", EntryPoint = "realpath")]
    static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc.so.6", EntryPoint = "free")]
    static extern void Free(IntPtr memory);

    /// <summary>The path with every symbolic link resolved, as /proc/self/maps names files (the path itself where it cannot be resolved).</summary>
    public static string Canonical(string path)
    {
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return path;
        try { return Marshal.PtrToStringUTF8(resolved) ?? path; }
        finally { Free(resolved); }
    }

    /// <summary>Where this process mapped a library of that file name from (/proc/self/maps), or null.</summary>
    public static string? MappedPath(string fileName) => MappedPath(name => name == fileName);

    /// <summary>Where this process mapped the first library whose file name <paramref name="matches"/>, or null.</summary>
    public static string? MappedPath(Func<string, bool> matches) =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..] : null)
            .FirstOrDefault(path => path != null && matches(Path.GetFileName(path)));
}
