using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model;

/// <summary>`--device` values: cpu (default), cuda or cuda:N where the CUDA build of TorchSharp and a GPU are present.</summary>
public static class Devices
{
    public static Device Parse(string name)
    {
        if (name == "cpu") return CPU;
        if (name == "cuda" || name.StartsWith("cuda:"))
        {
            if (!cuda.is_available())
                throw new InputError($"--device {name}: no CUDA device here (this build uses TorchSharp-cpu; build with -p:TorchBackend=cuda on a GPU machine)");
            return new Device(name);
        }
        throw new InputError($"--device: unknown device '{name}' (use cpu, cuda or cuda:N)");
    }

    /// <summary>The device a module's parameters live on.</summary>
    public static Device Of(nn.Module module) => module.parameters().First().device;
}
