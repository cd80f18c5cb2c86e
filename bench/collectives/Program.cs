// The sum training makes every update, checked and timed on its own: each rank fills a float32 tensor of MB megabytes
// with its rank + 1, sums it over all ranks in place, checks every element is 1 + 2 + … + N, and times REPEATS sums.
//   allreduce cpu MB [REPEATS]    over MPI: `mpiexec -np N dotnet Collectives.dll allreduce cpu 40` (one process: the identity)
//   allreduce cuda MB [REPEATS]   over NCCL on the GPU (scripts/gpu-run.sh runs it with one rank: the unique id made locally)
// Rank 0 prints one JSON object.
using System.Diagnostics;
using System.Text.Json;
using LsTranslate.Model.Distributed;
using TorchSharp;
using static TorchSharp.torch;

var (deviceName, megabytes, repeats) = args switch
{
    ["allreduce", var d, var mb] => (d, double.Parse(mb), 10),
    ["allreduce", var d, var mb, var r] => (d, double.Parse(mb), int.Parse(r)),
    _ => throw new ArgumentException("usage: allreduce cpu|cuda MB [REPEATS]"),
};
var world = Communicator.World;
var device = LsTranslate.Model.Devices.Parse(deviceName);
using var nccl = device.type == DeviceType.CUDA ? NcclCommunicator.Start(world, device) : null;
Communicator ranks = nccl is null ? world : nccl;
long count = (long)(megabytes * 1e6 / 4);
using var buffer = full(count, world.Rank + 1, ScalarType.Float32, device);
ranks.SumInPlace(buffer); // the first sum also checks the result and warms up
double expected = world.Size * (world.Size + 1) / 2.0;
bool exact = buffer.eq(expected).all().item<bool>();
var clock = Stopwatch.StartNew();
for (int i = 0; i < repeats; i++) ranks.SumInPlace(buffer);
double seconds = clock.Elapsed.TotalSeconds / repeats;
if (world.IsRoot)
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        mode = "allreduce",
        device = device.ToString(),
        ranks = world.Size,
        carried_by = ranks.Describe(),
        megabytes,
        exact,
        milliseconds = Math.Round(seconds * 1000, 3),
        // The bus bandwidth NCCL's own tests report: 2 (N − 1) / N of the buffer crosses each link.
        bus_gb_per_s = world.Size > 1 ? Math.Round(2.0 * (world.Size - 1) / world.Size * megabytes / 1000 / seconds, 2) : (double?)null,
    }));
Communicator.FinishWorld();
return exact ? 0 : 1;
