using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Model.Training;

namespace LsTranslate.Model.ModelFiles;

/// <summary>Parameter-wise mean of a model's last N step checkpoints (Vaswani et al. average the last 5 or 20).</summary>
public static class CheckpointAveraging
{
    public static (string Output, IReadOnlyList<string> Inputs) AverageLast(ModelDirectory dir, int count)
    {
        if (count < 1) throw new InputError($"--last must be at least 1, got {count}");
        var config = dir.ReadConfig();
        var inputs = dir.StepCheckpoints().TakeLast(count).ToList();
        if (inputs.Count == 0) throw InputError.At(dir.Path, 0, "has no step checkpoints to average (train with --keep-last > 0)");

        using var sum = new Seq2SeqTransformer(config.Model);
        using var next = new Seq2SeqTransformer(config.Model);
        var progress = Checkpoint.Load<TrainingProgress>(inputs[0], sum);
        using (no_grad())
        {
            var sums = sum.parameters().ToList();
            foreach (var file in inputs.Skip(1))
            {
                progress = Checkpoint.Load<TrainingProgress>(file, next);
                foreach (var (total, p) in sums.Zip(next.parameters())) total.add_(p);
            }
            foreach (var total in sums) total.div_(inputs.Count);
        }
        var output = dir.File("checkpoint.avg");
        Checkpoint.Save(output, sum, progress, optimizer: null);
        return (output, inputs);
    }
}
