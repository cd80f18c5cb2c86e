using System.CommandLine;
using LsTranslate.Model.Training;
using LsTranslate.Model.Transformer;
using LsTranslate.Cli.Output;
using LsTranslate.Cli.Arguments;

namespace LsTranslate.Cli.Commands;

/// <summary>`lstranslate train`: a transformer translation model on a parallel corpus.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        // The option record is the one source of defaults; the options below only name them.
        var defaults = new TrainOptions();
        var train = new Option<string?>("--train") { Description = "Training pairs: TSV (source<TAB>target), plain or gzip" };
        var trainSrc = new Option<string?>("--train-src") { Description = "Training source side as its own file (with --train-tgt)" };
        var trainTgt = new Option<string?>("--train-tgt") { Description = "Training target side, line-aligned with --train-src" };
        var dev = new Option<string?>("--dev") { Description = "Dev pairs (TSV) for validation and the best checkpoint" };
        var devSrc = new Option<string?>("--dev-src") { Description = "Dev source file (with --dev-tgt)" };
        var devTgt = new Option<string?>("--dev-tgt") { Description = "Dev target file" };
        var output = new Option<string>("--out") { Description = "Model directory: created, or continued from its checkpoint.last when the same command runs into it again", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the model in --out with its stored options (only the budget may change; threads, device and precision are never part of it)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start the model in --out over instead of continuing it" };
        var preset = OptionParsers.OneOf("--preset", "Model size", defaults.Preset, [.. TransformerConfig.PresetNames]);
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing α: targets y(1−α)+α/K; 0 is plain cross entropy", DefaultValueFactory = _ => defaults.LabelSmoothing };
        var vocab = new Option<int>("--vocab-size") { Description = "Joint byte-level BPE vocabulary size", DefaultValueFactory = _ => defaults.VocabSize };
        var spm = new Option<string?>("--spm-model") { Description = "Use this SentencePiece .model instead of learning BPE" };
        var init = new Option<string?>("--init") { Description = "Fine-tune this model directory (ours or `import marian`'s): its architecture, tokenizer and best weights; the shape and vocabulary options do not apply" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Padded tokens per batch", DefaultValueFactory = _ => defaults.MaxTokens };
        var updateFreq = new Option<int>("--update-freq") { Description = "Batches accumulated per update", DefaultValueFactory = _ => defaults.UpdateFreq };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (Adam 0.9/0.98; shaped by --lr-schedule)", DefaultValueFactory = _ => defaults.LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Linear warmup steps", DefaultValueFactory = _ => defaults.WarmupSteps };
        var schedule = OptionParsers.OneOf("--lr-schedule", "After warmup: inverse-sqrt decay, or cosine to a tenth of the peak at --max-steps", defaults.LrSchedule, [.. LearningRateSchedule.Names]);
        var settings = new RunSettingsOptions("Matrix products in fp32 or bf16 (weights, optimizer, loss stay fp32)");
        var clip = new Option<double>("--clip-norm") { Description = "Gradient norm clipping", DefaultValueFactory = _ => defaults.ClipNorm };
        var dropout = new Option<double?>("--dropout") { Description = "Dropout (default: the preset's)" };
        var activationDropout = new Option<double?>("--activation-dropout") { Description = "Dropout on the feed-forward hidden activations (default: --dropout)" };
        var modelDim = new Option<int?>("--model-dim") { Description = "Embedding and hidden size (default: the preset's)" };
        var encoderLayers = new Option<int?>("--encoder-layers") { Description = "Encoder layers (default: the preset's)" };
        var decoderLayers = new Option<int?>("--decoder-layers") { Description = "Decoder layers (default: the preset's)" };
        var feedForwardDim = new Option<int?>("--feed-forward-dim") { Description = "Feed-forward hidden size (default: the preset's)" };
        var heads = new Option<int?>("--heads") { Description = "Attention heads; --model-dim must divide by them (default: the preset's)" };
        var postNorm = new Option<bool>("--post-norm") { Description = "Layer norm after each sublayer (2017 original) instead of before" };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same result on CPU)", DefaultValueFactory = _ => defaults.Seed };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after this many updates" };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Stop after this many passes over the data" };
        var maxTime = new Option<TimeSpan?>("--max-time") { Description = "Stop after this much training time (20m, 1h30m, 90s)", CustomParser = OptionParsers.Duration };
        var validateEvery = new Option<int>("--validate-every") { Description = "Validate and checkpoint every N updates", DefaultValueFactory = _ => defaults.ValidateEvery };
        var logEvery = new Option<int>("--log-every") { Description = "Progress line every N updates", DefaultValueFactory = _ => defaults.LogEvery };
        var patience = new Option<int>("--patience") { Description = "Stop after N validations without a better dev NLL (0: never)", DefaultValueFactory = _ => defaults.Patience };
        var maxLen = new Option<int>("--max-len") { Description = "Skip training pairs longer than this many tokens", DefaultValueFactory = _ => defaults.MaxLength };
        var saveEvery = new Option<int>("--save-every") { Description = "Also write checkpoint.last every N updates between validations (0: only at validations)" };
        var saveEveryMinutes = new Option<double>("--save-every-minutes") { Description = "Also write checkpoint.last when this many minutes passed since the last save (0: never by time)", DefaultValueFactory = _ => TrainRequest.DefaultSaveEveryMinutes };
        var langs = new Option<string?>("--langs") { Description = "Source and target language, e.g. en-de (recorded in config.json; `serve` shows it)" };
        langs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !System.Text.RegularExpressions.Regex.IsMatch(value, "^[A-Za-z]{2,8}-[A-Za-z]{2,8}$"))
                result.AddError($"--langs: expected SRC-TGT such as en-de, got '{value}'");
        });
        var keepLast = new Option<int>("--keep-last") { Description = "Weights-only checkpoints kept from the last validations (for average)", DefaultValueFactory = _ => defaults.KeepLast };

        var command = new Command("train", "Train a transformer translation model, optionally with label smoothing.")
        {
            train, trainSrc, trainTgt, dev, devSrc, devTgt, output, resume, overwrite, init, preset, modelDim, encoderLayers, decoderLayers, feedForwardDim, heads, smoothing, vocab, spm, maxTokens, updateFreq,
            lr, warmup, schedule, clip, dropout, activationDropout, postNorm, seed, maxSteps, maxEpochs, maxTime, validateEvery, logEvery, patience, maxLen, keepLast, saveEvery, saveEveryMinutes, langs,
        };
        settings.AddTo(command);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(init) is { } initial)
            {
                if (new Option[] { preset, modelDim, encoderLayers, decoderLayers, feedForwardDim, heads, vocab, spm, postNorm }
                        .FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false }) is { } shape)
                    throw new InputError($"{shape.Name} does not apply with --init: the model starts from {initial}'s architecture and tokenizer");
            }
            var options = new TrainOptions
            {
                Init = parsed.GetValue(init) is { } from ? Path.GetFullPath(from) : null,
                Preset = parsed.GetValue(preset)!,
                ModelDim = parsed.GetValue(modelDim),
                EncoderLayers = parsed.GetValue(encoderLayers),
                DecoderLayers = parsed.GetValue(decoderLayers),
                FeedForwardDim = parsed.GetValue(feedForwardDim),
                Heads = parsed.GetValue(heads),
                VocabSize = parsed.GetValue(vocab),
                LabelSmoothing = parsed.GetValue(smoothing),
                MaxTokens = parsed.GetValue(maxTokens),
                UpdateFreq = parsed.GetValue(updateFreq),
                LearningRate = parsed.GetValue(lr),
                WarmupSteps = parsed.GetValue(warmup),
                LrSchedule = parsed.GetValue(schedule)!,
                ClipNorm = parsed.GetValue(clip),
                Dropout = parsed.GetValue(dropout),
                ActivationDropout = parsed.GetValue(activationDropout),
                PostNorm = parsed.GetValue(postNorm),
                Seed = parsed.GetValue(seed),
                MaxSteps = parsed.GetValue(maxSteps),
                MaxEpochs = parsed.GetValue(maxEpochs),
                MaxTime = parsed.GetValue(maxTime),
                ValidateEvery = parsed.GetValue(validateEvery),
                LogEvery = parsed.GetValue(logEvery),
                Patience = parsed.GetValue(patience),
                MaxLength = parsed.GetValue(maxLen),
                KeepLast = parsed.GetValue(keepLast),
            };
            var request = new TrainRequest(
                CorpusArguments.Required("--train", parsed.GetValue(train), parsed.GetValue(trainSrc), parsed.GetValue(trainTgt)),
                CorpusArguments.Optional("--dev", parsed.GetValue(dev), parsed.GetValue(devSrc), parsed.GetValue(devTgt)),
                parsed.GetValue(output)!, options, settings.Read(parsed), parsed.GetValue(spm), parsed.GetValue(resume), parsed.GetValue(overwrite),
                parsed.GetValue(saveEvery), parsed.GetValue(saveEveryMinutes), parsed.GetValue(langs));
            ProgressDisplay.Run(parsed.InvocationConfiguration.Error, (progress, log) => Trainer.Run(request, log, progress));
            if (LsTranslate.Model.Distributed.Communicator.World.IsRoot) parsed.InvocationConfiguration.Error.WriteLine($"model written to {request.OutDir}");
            return 0;
        });
        return command;
    }
}
