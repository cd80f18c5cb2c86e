using TorchSharp;
using LsTranslate.Model.Native;
using static TorchSharp.torch;

namespace LsTranslate.Model;

/// <summary>`--device` values: cpu (default), cuda or cuda:N where a CUDA libtorch and a GPU are present.</summary>
public static class Devices
{
    public static Device Parse(string name)
    {
        if (name == "cpu") return CPU;
        if (name == "cuda" || name.StartsWith("cuda:"))
        {
            if (!cuda.is_available()) throw new InputError($"--device {name}: {WhyNoCuda()}");
            var index = name == "cuda" ? 0 : int.TryParse(name[5..], out var n) && n >= 0 ? n : throw new InputError($"--device {name}: a GPU is cuda:N, N from 0");
            if (cuda.device_count() is var count && index >= count) throw new InputError($"--device {name}: this machine has {count} GPU(s), cuda:0 to cuda:{count - 1}");
            return new Device(name);
        }
        throw new InputError($"--device: unknown device '{name}' (use cpu, cuda or cuda:N)");
    }

    static string WhyNoCuda() => Libtorch.External switch
    {
        { HasCuda: false } outside => $"the libtorch in {outside.Path} is a CPU-only build (no libtorch_cuda.so)",
        { } outside => $"libtorch {outside.VersionText} from {outside.Path} sees no GPU (no device or no driver)",
        null when Libtorch.CarriesCuda => "this build's CUDA libtorch sees no GPU (no device or no driver)",
        null => $"this build's libtorch is CPU-only; run on a PyTorch install's libtorch (--libtorch DIR or {Libtorch.EnvironmentVariable}, "
            + "with the bundle from scripts/bundle.sh), or build with -p:TorchBackend=cuda",
    };

    /// <summary>The device a module's parameters live on.</summary>
    public static Device Of(nn.Module module) => module.parameters().First().device;
}
