using System.Diagnostics;
using LsTranslate.Model.Distributed;
using LsTranslate.Model.Transformer;
using TorchSharp;
using static TorchSharp.torch;
using LsTranslate.Model.Runs;
using LsTranslate.Model.ModelFiles;
using LsTranslate.Model.Batches;
using LsTranslate.Model.Corpora;
using LsTranslate.Model.Tokenizers;

namespace LsTranslate.Model.Training;

/// <summary>
/// The training loop: token-bucketed batches, label-smoothed loss, Adam after a linear warmup with inverse-sqrt or
/// cosine decay (<see cref="LearningRateSchedule"/>), clipping, accumulation, periodic validation by plain NLL, best/last checkpoints and exact resume.
/// </summary>
public sealed class Trainer
{
    readonly TrainRequest request;
    readonly TextWriter log;
    readonly IWorkProgress workProgress;
    readonly ModelDirectory dir;

    // The run's processes; on GPUs replaced, once the model is on its device, by NCCL over them.
    Communicator ranks;

    Trainer(TrainRequest request, TextWriter log, IWorkProgress progress, Communicator ranks)
    {
        this.request = request;
        this.ranks = ranks;
        // Rank 0 alone writes logs, progress and files; the others train.
        this.log = ranks.IsRoot ? log : TextWriter.Null;
        workProgress = ranks.IsRoot ? progress : WorkProgress.None;
        dir = new ModelDirectory(request.OutDir);
    }

    /// <param name="progress">told after every update (a bar on a terminal); the log lines are written either way.</param>
    /// <remarks>Under a launcher that started several processes (mpirun, srun) the run is data-parallel over them: see <see cref="Communicator.World"/>.</remarks>
    public static TrainResult Run(TrainRequest request, TextWriter log, IWorkProgress? progress = null) =>
        new Trainer(request, log, progress ?? WorkProgress.None, Communicator.World).Run();

    TrainResult Run()
    {
        var settings = request.Settings.Resolved();
        settings.ApplyToProcess();
        var (continuing, config, tokenizer) = OpenDirectory(settings);
        var options = config.Training;

        var (train, skipped) = EncodedPair.EncodeAll(ParallelCorpus.Read(request.Train), tokenizer, options.MaxLength, config.Model.MaxPositions);
        if (train.Count == 0) throw InputError.At(request.Train.Describe(), 0, $"no pair is shorter than --max-len {options.MaxLength} tokens");
        if (skipped > 0) log.WriteLine($"skipped {skipped} training pairs longer than {options.MaxLength} tokens");
        var dev = request.Dev is null ? null : EncodedPair.EncodeAll(ParallelCorpus.Read(request.Dev), tokenizer, int.MaxValue, config.Model.MaxPositions).Pairs;
        log.WriteLine($"train pairs: {train.Count:N0}, dev pairs: {dev?.Count ?? 0:N0}, vocabulary: {tokenizer.VocabSize:N0}");

        manual_seed(options.Seed);
        using var model = new Seq2SeqTransformer(config.Model);
        if (!continuing && options.Init is { } init)
        {
            Checkpoint.Load<TrainingProgress>(new ModelDirectory(init).CheckpointFile("best"), model);
            log.WriteLine($"starting from the weights of {init} (checkpoint.best)");
        }
        var device = settings.TorchDevice;
        model.to(device);
        model.Precision = settings.ResolvedPrecision;
        using var nccl = device.type == DeviceType.CUDA && ranks.Size > 1 ? NcclCommunicator.Start(ranks, device) : null;
        if (nccl is not null) ranks = nccl;
        var parameters = model.parameters().ToList();
        log.WriteLine($"model: {(options.Init is { } from ? "from " + from : options.Preset)}, {parameters.Sum(p => p.numel()):N0} parameters, label smoothing {options.LabelSmoothing}, " +
                      $"precision {model.Precision.Name()} ({device.type.ToString().ToLowerInvariant()})");
        if (ranks.Size > 1)
            log.WriteLine($"data-parallel: {ranks.Describe()}; each update sums {ranks.Size} ranks × {options.UpdateFreq} batch(es) (--update-freq), " +
                          $"rank k taking batches k, k + {ranks.Size}, … of the plan");
        using var optimizer = TrainingUpdate.CreateOptimizer(parameters, options);

        var progress = new TrainingProgress();
        if (continuing)
        {
            progress = dir.Resume<TrainingProgress>(model, optimizer, "step", p => p.Step);
            log.WriteLine($"resumed at step {progress.Step} (epoch {progress.Epoch}, batch {progress.NextBatch})");
        }
        ParameterSync.BroadcastWeights(parameters, ranks);
        // Only from here is there an update to finish and a checkpoint to save: a signal during the setup (learning the
        // BPE, encoding the corpus) ends the process at once, which the atomic writes before it survive.
        using var stop = StopSignal.Listen();
        return Loop(model, optimizer, parameters, options, train, dev, progress, skipped);
    }

    /// <summary>
    /// Rank 0 creates or reopens the directory (learning the BPE) and alone writes to it; the other ranks then read what
    /// it wrote, so --out must be a folder every rank sees.
    /// </summary>
    (bool Continuing, ModelConfig, ISubwordTokenizer) OpenDirectory(RunSettings settings)
    {
        if (ranks.IsRoot)
        {
            var continuing = dir.Continues(request.Overwrite, log);
            var (config, tokenizer) = continuing ? ReopenDirectory() : CreateDirectory();
            if (continuing && dir.ReadRunSettings().Ranks is var before && before != ranks.Size)
                log.WriteLine($"note: trained so far over {before} rank(s), now over {ranks.Size}: each update now sums {ranks.Size} × --update-freq batches");
            dir.WriteRunSettings(settings with { Ranks = ranks.Size });
            ranks.Broadcast(continuing);
            return (continuing, config, tokenizer);
        }
        bool continued = ranks.Broadcast(false);
        var (storedConfig, storedTokenizer) = ReopenDirectory();
        return (continued, storedConfig, storedTokenizer);
    }

    (ModelConfig, ISubwordTokenizer) CreateDirectory()
    {
        request.Options.Validate();
        var options = request.Options;
        if (options.Init is { } init) return StartFrom(new ModelDirectory(init), options);
        var tokenizer = request.SentencePieceModel is { } spm
            ? SubwordTokenizers.ImportSentencePiece(spm, dir.Path)
            : LearnTokenizer(options.VocabSize);
        var architecture = options.Architecture(tokenizer.VocabSize);
        var config = new ModelConfig
        {
            Model = architecture,
            Tokenizer = request.SentencePieceModel is null ? "bpe" : "sentencepiece",
            Training = options,
            TrainData = request.Train.Describe(),
            DevData = request.Dev?.Describe(),
            Languages = request.Languages,
        };
        dir.WriteConfig(config);
        return (config, tokenizer);
    }

    /// <summary>
    /// Fine-tuning: the initial model's architecture (with this recipe's dropout where given), tokenizer, languages and
    /// decoding defaults; its weights are loaded once the network exists.
    /// </summary>
    (ModelConfig, ISubwordTokenizer) StartFrom(ModelDirectory initial, TrainOptions options)
    {
        var stored = initial.ReadConfig();
        dir.CopyTokenizer(SubwordTokenizers.FilesIn(initial.Path));
        var config = stored with
        {
            Model = stored.Model with
            {
                Dropout = options.Dropout ?? stored.Model.Dropout,
                ActivationDropout = options.ActivationDropout ?? stored.Model.ActivationDropout,
            },
            Training = options,
            TrainData = request.Train.Describe(),
            DevData = request.Dev?.Describe(),
            Languages = request.Languages ?? stored.Languages,
            Temperature = null,
            TemperatureFittedOn = null,
        };
        dir.WriteConfig(config);
        return (config, SubwordTokenizers.Load(dir.Path));
    }

    ISubwordTokenizer LearnTokenizer(int vocabSize)
    {
        var clock = Stopwatch.StartNew();
        var tokenizer = SubwordTokenizers.LearnBpe(
            ParallelCorpus.Read(request.Train).SelectMany(p => new[] { p.Source, p.Target }), vocabSize, dir.Path);
        log.WriteLine($"learned byte-level BPE ({tokenizer.VocabSize:N0} tokens) in {clock.Elapsed.TotalSeconds:F1} s");
        return tokenizer;
    }

    /// <summary>
    /// Continuing keeps the stored recipe; only the budget (max steps, epochs, time) comes from the command line.
    /// Without --resume the rest of the request must match it.
    /// </summary>
    (ModelConfig, ISubwordTokenizer) ReopenDirectory()
    {
        var stored = dir.ReadConfig();
        var given = request.Options;
        if (!request.Resume)
            dir.RefuseOtherRecipe(stored.RecipeDifferences(given.WithBudgetOf(stored.Training), request.Train.Describe()),
                " (or --resume to continue with its own)");
        var options = stored.Training with
        {
            MaxSteps = given.MaxSteps ?? stored.Training.MaxSteps,
            MaxEpochs = given.MaxEpochs ?? stored.Training.MaxEpochs,
            MaxTime = given.MaxTime ?? stored.Training.MaxTime,
        };
        return (stored with { Training = options }, SubwordTokenizers.Load(dir.Path));
    }

    TrainResult Loop(Seq2SeqTransformer model, optim.Optimizer optimizer, List<TorchSharp.Modules.Parameter> parameters, TrainOptions options,
        List<EncodedPair> train, List<EncodedPair>? dev, TrainingProgress progress, int skipped)
    {
        var batcher = new TokenBatcher(train, options.MaxTokens, options.Seed);
        var plan = batcher.EpochPlan(progress.Epoch);
        var clock = Stopwatch.StartNew();
        double startElapsed = progress.ElapsedSeconds;
        double windowLoss = 0, windowStart = 0;
        long windowTokens = 0;
        TeacherForcedScores? lastValidation = null;
        long lastValidatedStep = -1;
        var sinceSave = Stopwatch.StartNew();
        // One handle for the run: its processor time is read afresh from /proc at each log line.
        using var self = Process.GetCurrentProcess();
        model.train();

        // The clock of rank 0 decides time budgets, so every rank stops at the same update.
        while (StopReason(progress, options, progress.ElapsedSeconds) is null)
        {
            // N ranks with --update-freq U take the batches one process with --update-freq N × U would.
            var batches = new List<int[]>();
            while (batches.Count < options.UpdateFreq * ranks.Size)
            {
                if (progress.NextBatch >= plan.Count)
                {
                    progress = progress with { Epoch = progress.Epoch + 1, NextBatch = 0 };
                    plan = batcher.EpochPlan(progress.Epoch);
                    if (options.MaxEpochs is { } maxEpochs && progress.Epoch >= maxEpochs) break;
                }
                batches.Add(plan[progress.NextBatch]);
                progress = progress with { NextBatch = progress.NextBatch + 1 };
            }
            if (batches.Count == 0) break;

            long step = progress.Step + 1;
            double lr = LearningRateSchedule.At(options.LrSchedule, step, options.LearningRate, options.WarmupSteps, options.MaxSteps);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var made = batches.Select((pairs, k) => (pairs, k)).Where(b => b.k % ranks.Size == ranks.Rank)
                .Select(b => batcher.Make(b.pairs, TrainingUpdate.DropoutSeed(options, step, b.k))).ToList();
            var shared = new TrainingUpdate.SharedUpdate(ranks, batches.Sum(b => (long)batcher.TargetTokens(b)));
            var (loss, tokens) = TrainingUpdate.Update(model, optimizer, parameters, made, options, shared);
            made.ForEach(b => b.Dispose());
            var agreed = ranks.Sum(StopSignal.Received is null ? 0 : 1, ranks.IsRoot ? startElapsed + clock.Elapsed.TotalSeconds : 0);
            bool stopping = agreed[0] > 0;
            double elapsed = agreed[1];

            windowLoss += loss * tokens;
            windowTokens += tokens;
            progress = progress with { Step = step, TargetTokensSeen = progress.TargetTokensSeen + tokens, ElapsedSeconds = elapsed };
            workProgress.Report("train", step, options.MaxSteps, $"epoch {progress.Epoch + 1}  loss {loss:F3}");

            if (step % options.LogEvery == 0)
            {
                double tokensPerSecond = windowTokens / Math.Max(clock.Elapsed.TotalSeconds - windowStart, 1e-9);
                if (ranks.IsRoot) dir.AppendLog(new StepRecord("train", step, progress.Epoch, windowLoss / windowTokens, lr, tokensPerSecond, progress.TargetTokensSeen, elapsed,
                    Math.Round(self.TotalProcessorTime.TotalSeconds, 3)));
                log.WriteLine($"step {step,6}  epoch {progress.Epoch + 1,3}  loss {windowLoss / windowTokens:F4}  lr {lr:E2}  {tokensPerSecond,7:F0} tok/s  " +
                              $"dev nll {(lastValidation is null ? "-" : lastValidation.Nll.ToString("F4"))}  {Eta(progress, options, elapsed, step)}");
                windowLoss = 0;
                windowTokens = 0;
                windowStart = clock.Elapsed.TotalSeconds;
            }
            if (step % options.ValidateEvery == 0)
            {
                (progress, lastValidation) = ValidateAndSave(model, optimizer, options, dev, progress);
                lastValidatedStep = step;
                sinceSave.Restart();
            }
            else if (request.SaveEvery > 0 && step % request.SaveEvery == 0 || stopping ||
                     request.SaveEveryMinutes > 0 && sinceSave.Elapsed.TotalMinutes >= request.SaveEveryMinutes)
            {
                // Between validations only checkpoint.last: best and step-N belong to validations.
                if (ranks.IsRoot) Checkpoint.Save(dir.LastCheckpoint, model, progress, optimizer);
                sinceSave.Restart();
            }
            StopSignal.ThrowIf(stopping, () => $"checkpoint.last holds update {progress.Step}");
        }
        if (lastValidatedStep != progress.Step)
            (progress, lastValidation) = ValidateAndSave(model, optimizer, options, dev, progress);
        log.WriteLine($"stopped: {StopReason(progress, options, progress.ElapsedSeconds) ?? "end of data"} at step {progress.Step}; " +
                      $"best dev nll {progress.BestDevNll:F4} at step {progress.BestStep}");
        return new TrainResult(progress, lastValidation, train.Count, skipped);
    }

    (TrainingProgress, TeacherForcedScores?) ValidateAndSave(Seq2SeqTransformer model, optim.Optimizer optimizer, TrainOptions options,
        List<EncodedPair>? dev, TrainingProgress progress)
    {
        TeacherForcedScores? scores = null;
        // Rank 0 validates and saves; the others take its verdict, which early stopping depends on.
        if (ranks.IsRoot)
        {
            bool best = false;
            if (dev is not null && dev.Count > 0)
            {
                // In the run's precision, the loss's sums in float32 as training's: a bf16 run's dev NLL is within 0.002
                // of the fp32 one (bench/train-throughput's validation mode), at a fraction of an fp32 pass's cost.
                scores = TeacherForcing.Score(model, dev, options.MaxTokens);
                best = dir.BestBy.Improves(scores.Nll, progress.BestDevNll);
                progress = best
                    ? progress with { BestDevNll = scores.Nll, BestStep = progress.Step, ValidationsSinceBest = 0 }
                    : progress with { ValidationsSinceBest = progress.ValidationsSinceBest + 1 };
                dir.AppendLog(new ValidationRecord("valid", progress.Step, scores.Nll, scores.Perplexity, scores.Accuracy, scores.Tokens, best, progress.ElapsedSeconds,
                    dir.BestBy.Name));
                log.WriteLine($"validation at step {progress.Step}: dev nll {scores.Nll:F4}  ppl {scores.Perplexity:F2}  acc {scores.Accuracy:P2}{(best ? "  (best)" : "")}");
            }
            dir.SaveValidated(model, progress, optimizer, best, progress.Step, options.KeepLast);
        }
        return (ranks.Broadcast(progress), ranks.Broadcast(scores));
    }

    /// <summary>Whether the model in <paramref name="dir"/> has used up its training budget (so resuming would do nothing).</summary>
    public static bool IsFinished(ModelDirectory dir)
    {
        if (!dir.HasLast) return false;
        var progress = Checkpoint.ReadProgress<TrainingProgress>(dir.LastCheckpoint);
        return StopReason(progress, dir.ReadConfig().Training, progress.ElapsedSeconds) is not null;
    }

    static string? StopReason(TrainingProgress progress, TrainOptions options, double elapsedSeconds)
    {
        if (options.MaxSteps is { } maxSteps && progress.Step >= maxSteps) return "--max-steps reached";
        if (options.MaxEpochs is { } maxEpochs && progress.Epoch >= maxEpochs) return "--max-epochs reached";
        if (options.MaxTime is { } maxTime && elapsedSeconds >= maxTime.TotalSeconds) return "--max-time reached";
        if (options.Patience > 0 && progress.ValidationsSinceBest >= options.Patience) return "no dev improvement (--patience)";
        return null;
    }

    static string Eta(TrainingProgress progress, TrainOptions options, double elapsed, long step)
    {
        double perStep = elapsed / Math.Max(step, 1);
        var remaining = new List<double>();
        if (options.MaxSteps is { } maxSteps) remaining.Add((maxSteps - step) * perStep);
        if (options.MaxTime is { } maxTime) remaining.Add(maxTime.TotalSeconds - elapsed);
        return remaining.Count == 0 ? "" : $"ETA {TimeSpan.FromSeconds(Math.Max(0, remaining.Min())):hh\\:mm\\:ss}";
    }
}
