using static TorchSharp.torch;

namespace LsTranslate.Model.Native;

/// <summary>
/// The address of a tensor's first element, on whatever device it lives, for C libraries that read and write it in
/// place (MPI, NCCL). TorchSharp keeps the call that gives it internal, so it is taken from the LibTorchSharp library
/// this process already loaded.
/// </summary>
static unsafe class TensorMemory
{
    static delegate* unmanaged<IntPtr, IntPtr> data;

    public static IntPtr Address(Tensor tensor)
    {
        if (!tensor.is_contiguous()) throw new ArgumentException("a C library can only read a contiguous tensor in place");
        if (data == null)
        {
            var path = DynamicLoader.MappedPath("libLibTorchSharp.so")
                ?? throw new InvalidOperationException("libLibTorchSharp.so is not loaded in this process");
            data = (delegate* unmanaged<IntPtr, IntPtr>)System.Runtime.InteropServices.NativeLibrary.GetExport(
                System.Runtime.InteropServices.NativeLibrary.Load(path), "THSTensor_data");
        }
        return data(tensor.Handle);
    }
}
