using System.Runtime.InteropServices;

namespace LsTranslate.Model.Native;

/// <summary>
/// cudaSetDevice from the CUDA runtime libtorch loaded (TorchSharp has no torch.cuda.set_device): NCCL binds a
/// communicator to the current device. A pip wheel names its copy libcudart.so.N or libcudart-HASH.so.N.
/// </summary>
static unsafe class CudaRuntime
{
    public static void SetDevice(int index)
    {
        var path = DynamicLoader.MappedPath(name => name.StartsWith("libcudart", StringComparison.Ordinal) && name.Contains(".so"))
            ?? throw new InvalidOperationException("no CUDA runtime (libcudart) is loaded in this process");
        var setDevice = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(NativeLibrary.Load(path), "cudaSetDevice");
        int code = setDevice(index);
        if (code != 0) throw new InvalidOperationException($"cudaSetDevice({index}) failed with CUDA error {code} ({path})");
    }
}
