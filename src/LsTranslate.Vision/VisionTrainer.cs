using LsTranslate.Model;
using System.Diagnostics;
using LsTranslate.Model.Analysis;
using LsTranslate.Model.Losses;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;

namespace LsTranslate.Vision;

/// <summary>One line of train-log.jsonl: an epoch's training loss and validation results.</summary>
/// <param name="Precision">of the epoch's training steps (validation is always fp32); null in logs written before bf16 existed.</param>
/// <param name="Best">whether this epoch's validation was the best so far (by <paramref name="BestBy"/>); checkpoint.best then holds it.</param>
public sealed record VisionEpochLog(
    int Epoch, double LearningRate, double TrainLoss, double TrainNll, double TrainAccuracy,
    double ValidationAccuracy, double ValidationNll, double Seconds, double ImagesPerSecond, string? Precision = null,
    bool Best = false, string? BestBy = null);

/// <summary>
/// A vision training objective: from a batch's (augmented) images, the model's logits on them and the labels,
/// the loss parts. The images are there for objectives that consult another network (distillation's teacher).
/// </summary>
public delegate SoftTargetLossParts VisionLoss(Tensor images, Tensor logits, Tensor labels);

/// <summary>What to train and where, as TrainRequest is for translation.</summary>
/// <param name="Loss">the objective; null: label smoothing with Options.LabelSmoothing.</param>
/// <param name="Objective">names another objective than label smoothing (stored with the options, so a rerun continues only the same training).</param>
/// <param name="AfterStep">called after every optimizer step with the 1-based step count and the model.</param>
/// <param name="Overwrite">start over even where a finished or resumable run is in OutDir.</param>
public sealed record VisionTrainRequest(VisionTrainOptions Options, VisionData Data, string OutDir, RunSettings Settings,
    VisionLoss? Loss = null, string? Objective = null, Action<int, ImageClassifier>? AfterStep = null, bool Overwrite = false);

/// <summary>
/// Trains an image classifier with the label-smoothed loss (or another <see cref="VisionLoss"/>): SGD with Nesterov momentum and step decay
/// (the paper's recipe) or Adam. After each epoch it validates on the held-out split, writes
/// checkpoint.best when validation accuracy improved, and checkpoint.last with the optimizer and shuffling
/// state, from which a killed run resumes exactly; a finished run is only loaded. Training steps run in the
/// requested precision, validation in fp32 so that curves of either precision compare.
/// </summary>
public static class VisionTrainer
{
    /// <summary>
    /// Opens the run directory by the one rule for continuing (<see cref="VisionModelDirectory.Open"/>), trains there
    /// with each epoch logged to <paramref name="log"/>, records the run settings (run.json) and the temperature fitted on
    /// the validation split (calibration.json) and returns the model with its final weights, in fp32. A finished run is
    /// only loaded. The same shape as translation's Trainer.Run.
    /// </summary>
    /// <param name="progress">told after every batch (a bar on a terminal); the log lines are written either way.</param>
    public static ImageClassifier Run(VisionTrainRequest request, TextWriter log, IWorkProgress? progress = null)
    {
        var (data, outDir, settings, loss, objective, afterStep) = (request.Data, request.OutDir, request.Settings, request.Loss, request.Objective, request.AfterStep);
        var options = request.Options with { Objective = objective };
        var directory = VisionModelDirectory.Open(outDir, options, request.Overwrite, log);
        var (device, precision) = (settings.TorchDevice, settings.ResolvedPrecision);
        int done = directory.EpochsDone();
        if (done < options.Epochs) directory.WriteRunSettings(settings.Resolved());
        log.WriteLine(done == options.Epochs ? $"vision: reusing the finished model in {outDir}"
            : $"vision: {(done > 0 ? $"resuming after epoch {done}: " : "")}training {options.Arch} on {data.Train.Count} {options.Dataset} images " +
              $"(validation {data.Validation.Count}, {objective ?? $"α = {options.LabelSmoothing}"}, seed {options.Seed}, {precision.Name()}) → {outDir}");
        var model = Train(options, data, directory, device, e => log.WriteLine(
            $"  epoch {e.Epoch}/{options.Epochs}  lr {e.LearningRate:g3}  train loss {e.TrainLoss:0.0000} nll {e.TrainNll:0.0000} " +
            $"acc {e.TrainAccuracy:0.0000}  val acc {e.ValidationAccuracy:0.0000} nll {e.ValidationNll:0.0000}  {e.ImagesPerSecond:0} img/s"),
            progress, loss, afterStep, precision);
        // A finished run that was only loaded keeps the record its training wrote.
        if (done < options.Epochs || directory.ReadCalibration() is null)
        {
            using var validationLogits = VisionEvaluation.Logits(model, data.Validation, device);
            var labels = data.Validation.Labels;
            directory.WriteCalibration(CalibrationSummary.Measure(validationLogits, labels, validationLogits, labels).Record(
                $"validation split of {options.Dataset} ({data.Validation.Count} images, seed {options.Seed})", "last", labels.shape[0], "images"));
        }
        return model;
    }

    /// <summary>
    /// Trains and returns the model with its final weights (those of checkpoint.last: a finished network, not the
    /// epoch that happened to validate best), in fp32 for measuring.
    /// </summary>
    /// <param name="loss">the objective; null: label smoothing with options.LabelSmoothing.</param>
    /// <param name="afterStep">called after every optimizer step with the 1-based step count and the model
    /// (in training mode; a probe that switches it to evaluation mode must switch it back).</param>
    /// <param name="precision">of the training steps' convolutions and linear layers; a run setting, not an option
    /// of the recipe, so a run may resume in another precision (each epoch's log line says which it used).</param>
    public static ImageClassifier Train(VisionTrainOptions options, VisionData data, VisionModelDirectory directory,
        Device device, Action<VisionEpochLog>? onEpoch = null, IWorkProgress? workProgress = null,
        VisionLoss? loss = null, Action<int, ImageClassifier>? afterStep = null, Precision precision = Precision.Fp32)
    {
        options.Validated();
        using var stop = StopSignal.Listen();
        loss ??= (_, logits, labels) => LabelSmoothedCrossEntropy.Compute(logits, labels, options.LabelSmoothing);
        manual_seed(options.Seed);
        var model = Architectures.Create(options.Arch, (int)data.Train.Pixels.shape[1], data.Train.Info.Classes,
            (int)data.Train.Pixels.shape[2], (int)data.Train.Pixels.shape[3]);
        model.to(device);
        using var optimizer = CreateOptimizer(options, model);
        var shuffle = new Generator((ulong)options.Seed + 1);
        int batchesPerEpoch = (int)((data.Train.Count + options.BatchSize - 1) / options.BatchSize);
        var progress = directory.HasLast
            ? directory.Resume<VisionProgress>(model, optimizer, "epoch", p => p.Epochs)
            : new VisionProgress(0, 0, directory.BestBy.Unset, []);
        if (progress.ShuffleState.Length > 0)
        {
            using var state = tensor(progress.ShuffleState);
            shuffle.set_state(state);
        }
        int step = progress.Step;
        double bestAccuracy = progress.BestAccuracy;

        for (int epoch = progress.Epochs; epoch < options.Epochs; epoch++)
        {
            double learningRate = LearningRateAt(options, epoch);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            model.train();
            model.Precision = precision;
            var clock = Stopwatch.StartNew();
            // Loss × count, NLL, correct, count: summed on the device, read back once per epoch.
            using var sums = zeros(4, dtype: ScalarType.Float64, device: device);
            int batch = 0;
            foreach (var (images, labels) in ImageBatches.Enumerate(data.Train, options.BatchSize, device, shuffle, options.CropPadding))
            {
                using var scope = NewDisposeScope();
                using var batchImages = images;
                using var batchLabels = labels;
                var logits = model.forward(images);
                using var parts = loss(images, logits, labels);
                optimizer.zero_grad();
                parts.Loss.backward();
                optimizer.step();
                afterStep?.Invoke(++step, model);
                var count = parts.Count.to(ScalarType.Float64);
                sums.add_(stack([parts.Loss.detach().to(ScalarType.Float64) * count, parts.NllSum.detach().to(ScalarType.Float64),
                    logits.argmax(-1).eq(labels).sum().to(ScalarType.Float64), count]));
                ++batch;
                // Only a bar on a terminal reads the running loss back (a sync per batch a GPU run without one avoids).
                if (workProgress is { Visible: true })
                    workProgress.Report("train", epoch * batchesPerEpoch + batch, options.Epochs * batchesPerEpoch,
                        $"epoch {epoch + 1}/{options.Epochs}  loss {(sums[0] / sums[3]).item<double>():0.000}");
                // A run continues from whole epochs: the part of this one is done again.
                StopSignal.ThrowIfReceived(() => epoch == 0 ? "no epoch had finished (this one starts over)"
                    : $"checkpoint.last holds epoch {epoch} (epoch {epoch + 1} starts over)");
            }
            var totals = sums.cpu().data<double>().ToArray();
            double lossSum = totals[0], nllSum = totals[1], correct = totals[2], seen = totals[3];
            double seconds = clock.Elapsed.TotalSeconds;
            model.Precision = Precision.Fp32;

            using var validationLogits = VisionEvaluation.Logits(model, data.Validation, device);
            double validationAccuracy = VisionEvaluation.Accuracy(validationLogits, data.Validation.Labels);
            double validationNll = TemperatureScaling.Nll(validationLogits, data.Validation.Labels, 1.0);
            bool improved = directory.BestBy.Improves(validationAccuracy, bestAccuracy);
            if (improved) bestAccuracy = validationAccuracy;
            var entry = new VisionEpochLog(epoch + 1, learningRate, lossSum / seen, nllSum / seen, correct / seen,
                validationAccuracy, validationNll, seconds, seen / seconds, precision.Name(), improved, directory.BestBy.Name);
            using (var state = shuffle.get_state())
                progress = new VisionProgress(epoch + 1, step, bestAccuracy, state.data<byte>().ToArray());
            directory.SaveValidated(model, progress, optimizer, improved, epoch + 1);
            directory.AppendLog(entry);
            onEpoch?.Invoke(entry);
        }
        model.eval();
        return model;
    }

    /// <summary>Step decay: the base rate times DecayFactor for every DecayAt fraction of the epochs already passed.</summary>
    public static double LearningRateAt(VisionTrainOptions options, int epoch)
    {
        int decays = options.DecayAt.Count(fraction => epoch >= Math.Round(fraction * options.Epochs) && fraction * options.Epochs >= 1);
        return options.EffectiveLearningRate * Math.Pow(options.DecayFactor, decays);
    }

    static optim.Optimizer CreateOptimizer(VisionTrainOptions options, ImageClassifier model) => options.Optimizer switch
    {
        "adam" => optim.Adam(model.parameters(), options.EffectiveLearningRate, weight_decay: options.WeightDecay),
        _ => optim.SGD(model.parameters(), options.EffectiveLearningRate, options.Momentum,
            weight_decay: options.WeightDecay, nesterov: true),
    };
}
