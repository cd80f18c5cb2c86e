using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LsTranslate.Model;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.IO;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>
/// `lstranslate ranks`: before a long run, checks what the launcher started and times the sum every update makes (as
/// nccl-tests' all_reduce_perf does): each rank fills a float32 tensor with its rank + 1 and sums it over all ranks in
/// place, over MPI on the CPU or NCCL on a GPU (NCCL even for one rank, so a single GPU checks the binding).
/// </summary>
static class RanksCommand
{
    public static Command Create()
    {
        var device = RunSettingsOptions.DeviceOption();
        var libtorch = LibtorchOption.Create();
        var megabytes = new Option<double>("--megabytes") { Description = "Size of the tensor summed (the small preset's gradients: about 40 MB)", DefaultValueFactory = _ => 40 };
        var repeats = new Option<int>("--repeats") { Description = "Sums timed after the first, which is checked", DefaultValueFactory = _ => 10 };
        var command = new Command("ranks", "Check the processes a launcher started (mpiexec, srun) and time the gradient sum over MPI or NCCL; JSON from rank 0.")
        {
            device, libtorch, megabytes, repeats,
        };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(megabytes) is not (> 0 and <= 64_000) || parsed.GetValue(repeats) < 1)
                throw new InputError("--megabytes must be in (0, 64000] and --repeats at least 1");
            var world = Communicator.World;
            var where = Devices.Parse(parsed.GetValue(device)!);
            using var nccl = where.type == DeviceType.CUDA ? NcclCommunicator.Start(world, where) : null;
            Communicator ranks = nccl is null ? world : nccl;
            using var buffer = full((long)(parsed.GetValue(megabytes) * 1e6 / 4), world.Rank + 1, ScalarType.Float32, where);
            ranks.SumInPlace(buffer);
            bool exact = buffer.eq(world.Size * (world.Size + 1) / 2.0).all().item<bool>();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < parsed.GetValue(repeats); i++) ranks.SumInPlace(buffer);
            double seconds = clock.Elapsed.TotalSeconds / parsed.GetValue(repeats);
            var waiting = WaitingCores(world);
            if (world.IsRoot)
                parsed.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    ranks = world.Size,
                    device = where.ToString(),
                    carried_by = ranks.Describe(),
                    megabytes = parsed.GetValue(megabytes),
                    exact,
                    milliseconds = Math.Round(seconds * 1000, 3),
                    // What nccl-tests calls bus bandwidth: 2 (N − 1) / N of the buffer crosses each link.
                    bus_gb_per_s = world.Size > 1 ? Math.Round(2.0 * (world.Size - 1) / world.Size * parsed.GetValue(megabytes) / 1000 / seconds, 2) : (double?)null,
                    // The most of a core any other rank used while rank 0 kept it waiting for a second.
                    waiting_rank_cores = waiting,
                }, Json.Line));
            return exact ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// Rank 0 keeps the others waiting in a collective for a second (as validation or a checkpoint does during
    /// training): the CPU time each waiting rank used meanwhile over the wall time, the largest of them (null for one rank).
    /// </summary>
    static double? WaitingCores(Communicator world)
    {
        world.Barrier();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        if (world.IsRoot) Thread.Sleep(1000);
        world.Barrier();
        process.Refresh();
        double cores = (process.TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        var all = world.Gather(BitConverter.GetBytes(cores));
        return world.IsRoot && world.Size > 1 ? Math.Round(all.Skip(1).Max(b => BitConverter.ToDouble(b)), 3) : null;
    }
}
