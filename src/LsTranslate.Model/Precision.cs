using TorchSharp;
using static TorchSharp.torch;

namespace LsTranslate.Model;

/// <summary>
/// The number format of matrix products and convolutions (linear layers, attention, convolutional layers). Master
/// weights, optimizer state, the loss, log-softmax, layer- and batch-norm statistics and reductions are float32 in
/// both: a run setting, not part of a model.
/// </summary>
public enum Precision { Fp32, Bf16 }

/// <summary>`--precision fp32|bf16|auto` and what auto picks on this machine.</summary>
public static class Precisions
{
    public static readonly IReadOnlyList<string> Names = ["auto", "fp32", "bf16"];

    public static string Name(this Precision precision) => precision == Precision.Bf16 ? "bf16" : "fp32";

    public static ScalarType MatmulType(this Precision precision) => precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>auto: bf16 where the hardware multiplies bf16 natively (a CPU with avx512_bf16 or AMX, a GPU that runs a bf16 product), else fp32.</summary>
    public static Precision Resolve(string name, Device device) => name switch
    {
        "fp32" => Precision.Fp32,
        "bf16" => Precision.Bf16,
        "auto" => device.type == DeviceType.CPU ? (CpuHasBf16.Value ? Precision.Bf16 : Precision.Fp32) : (GpuRunsBf16(device) ? Precision.Bf16 : Precision.Fp32),
        _ => throw new InputError($"--precision: unknown value '{name}' (use {string.Join(", ", Names)})"),
    };

    static readonly Lazy<bool> CpuHasBf16 = new(ReadCpuFlags);

    static bool ReadCpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return false;
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags"));
        if (flags is null) return false;
        var set = flags[(flags.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return set.Contains("avx512_bf16") || set.Contains("amx_bf16");
    }

    static bool GpuRunsBf16(Device device)
    {
        try
        {
            using var scope = NewDisposeScope();
            var a = ones(8, 8, dtype: ScalarType.BFloat16, device: device);
            return a.mm(a).to(ScalarType.Float32).sum().item<float>() == 64f;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
