// Training throughput of the small preset, one measurement per process (so peak RSS is that mode's own):
//   setup DIR          a model directory after one real training step (BPE learned once; cached by run.sh)
//   full  DIR STEPS    the real loop: Trainer.Run resuming DIR's copy for STEPS more steps; tokens/s from train-log.jsonl
//   bare  DIR STEPS    the same model, batches and seed: forward + loss + backward + Adam only
//   matmul             2-thread float32 square matrix products (GFLOP/s), the arithmetic ceiling
// Every mode prints one JSON object; run.sh merges them.
using System.Text.Json;
using TrainThroughput;

var json = args switch
{
    ["setup", var dir] => Modes.Setup(dir),
    ["full", var dir, var steps] => Modes.Full(dir, int.Parse(steps)),
    ["bare", var dir, var steps] => Modes.Bare(dir, int.Parse(steps)),
    ["matmul"] => Modes.Matmul(),
    _ => throw new ArgumentException("usage: setup DIR | full DIR STEPS | bare DIR STEPS | matmul"),
};
Console.WriteLine(JsonSerializer.Serialize(json));
