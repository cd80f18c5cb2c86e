using System.Runtime.InteropServices;
using LsTranslate.Model.Native;

namespace LsTranslate.Cli.Experiments;

/// <summary>What a report records about where and with what it ran, so a reader can rerun it.</summary>
public static class RunEnvironment
{
    public static string Machine()
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        double memoryGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9;
        return $"{Environment.ProcessorCount} cores ({cpu}), {memoryGb:F0} GB, {RuntimeInformation.OSDescription}, torch threads {TorchSharp.torch.get_num_threads()}";
    }

    public static string Versions()
    {
        string Of(Type t) => t.Assembly.GetName().Version?.ToString(3) ?? "?";
        return $"lstranslate {Of(typeof(RunEnvironment))}, TorchSharp {Of(typeof(TorchSharp.torch))} on {Libtorch.InUse}, .NET {Environment.Version}";
    }
}
