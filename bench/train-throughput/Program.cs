// Training throughput of the small preset, one measurement per process (so peak RSS is that mode's own):
//   setup DIR          a model directory after one real training step (BPE learned once; cached by run.sh)
//   full  DIR STEPS P [THREADS UPDATE_FREQ]  the real loop in precision P (fp32|bf16): Trainer.Run resuming DIR's copy for STEPS more steps; tokens/s from train-log.jsonl;
//                      under mpiexec -np N, data-parallel over N ranks (ranks.sh: 2 ranks × 1 thread against 1 process × 2 threads, update-freq 2)
//   bare  DIR STEPS P  the same model, batches, seeds and update (TrainingUpdate.Update), without logging, validation or checkpoints; lists its batch shapes for the PyTorch twin
//   sustained DIR STEPS P [THREADS]  the real loop for STEPS updates after a warm-up one: tokens/s per window of 20 updates, CPU cores used,
//                      matrix-product FLOP/s, the phase table before and after in the same process, the batch shapes for the twin (Sustained.cs)
//   phases DIR P       each operation of one update timed on its own, forward and backward, at a real batch's shapes (Phases.cs)
//   validation MODEL DEV  a trained model's dev NLL and accuracy by the trainer's chunked pass in bf16 and fp32 and by the
//                      whole-logits fp32 pass validation used before, each timed (Validation.cs)
//   matmul             2-thread fp32 and bf16 matrix products (GFLOP/s), the arithmetic ceiling of each
// Every mode prints one JSON object; run.sh merges them.
using System.Text.Json;
using TrainThroughput;

var json = args switch
{
    ["setup", var dir] => Modes.Setup(dir),
    ["full", var dir, var steps, var precision] => Modes.Full(dir, int.Parse(steps), precision),
    ["full", var dir, var steps, var precision, var threads, var updateFreq] => Modes.Full(dir, int.Parse(steps), precision, int.Parse(threads), int.Parse(updateFreq)),
    ["bare", var dir, var steps, var precision] => Modes.Bare(dir, int.Parse(steps), precision),
    ["sustained", var dir, var steps, var precision] => Sustained.Measure(dir, int.Parse(steps), precision),
    ["sustained", var dir, var steps, var precision, var threads] => Sustained.Measure(dir, int.Parse(steps), precision, int.Parse(threads)),
    ["phases", var dir, var precision] => Phases.Measure(dir, precision),
    ["validation", var model, var dev] => Validation.Measure(model, dev),
    ["matmul"] => Modes.Matmul(),
    _ => throw new ArgumentException("usage: setup DIR | full DIR STEPS PRECISION | bare DIR STEPS PRECISION | sustained DIR STEPS PRECISION [THREADS] | phases DIR PRECISION | validation MODEL DEV | matmul"),
};
if (json is not null) Console.WriteLine(JsonSerializer.Serialize(json)); // under mpiexec, rank 0 alone reports
LsTranslate.Model.Distributed.Communicator.FinishWorld();
