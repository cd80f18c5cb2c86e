using System.CommandLine;
using System.Globalization;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Arguments;

/// <summary>The search options with the names fairseq and Marian users know, taken by decode and evaluate (reproduce translation shares their defaults).</summary>
sealed class SearchArguments
{
    // The option record is the one source of defaults; the options below only name them.
    public static readonly SearchOptions Defaults = new();

    readonly Option<int> beam = new("--beam", "-b") { Description = "Beam size (1: greedy)", DefaultValueFactory = _ => Defaults.Beam };
    readonly Option<double> lenpen = new("--lenpen") { Description = "Length penalty α", DefaultValueFactory = _ => Defaults.LengthPenalty };
    readonly Option<string> lenpenStyle = OptionParsers.OneOf("--lenpen-style", "Length penalty form: gnmt ((5+|y|)/6)^α or fairseq |y|^α", StyleName(Defaults.LengthPenaltyStyle), "gnmt", "fairseq");
    readonly Option<int> nbest = new("--nbest") { Description = "Hypotheses per input (≤ --beam), printed as `index ||| text ||| score`", DefaultValueFactory = _ => Defaults.NBest };
    readonly Option<string> temperature = new("--temperature", "-t") { Description = "Divide logits by T before log-softmax; `auto` uses the T fitted by `calibrate`", DefaultValueFactory = _ => Defaults.Temperature.ToString(CultureInfo.InvariantCulture) };
    readonly Option<double> maxLenA = new("--max-len-a") { Description = "Max output length a·|x|+b: a", DefaultValueFactory = _ => Defaults.MaxLenA };
    readonly Option<int> maxLenB = new("--max-len-b") { Description = "Max output length a·|x|+b: b", DefaultValueFactory = _ => Defaults.MaxLenB };
    readonly Option<int> minLen = new("--min-len") { Description = "Minimum output length (tokens)", DefaultValueFactory = _ => Defaults.MinLen };
    readonly Option<int> noRepeat = new("--no-repeat-ngram") { Description = "Forbid repeating n-grams of this size (0: off)", DefaultValueFactory = _ => Defaults.NoRepeatNgram };
    // --stop's names for the stopping rules, one table both ways.
    static readonly Dictionary<string, BeamStopping> StopRules = new() { ["beam"] = BeamStopping.Beam, ["exact"] = BeamStopping.Exact, ["hf"] = BeamStopping.HuggingFace };

    readonly Option<string> stop = OptionParsers.OneOf("--stop",
        "When beam search ends a sentence: beam (at `beam` finished, as fairseq), exact (when no open hypothesis can beat the kept ones), hf (Hugging Face's rule)",
        StopName(Defaults.Stopping), [.. StopRules.Keys]);
    readonly Option<bool> renormalize = new("--renormalize") { Description = "Log-softmax again after banned tokens are removed (Hugging Face's renormalize_logits)" };
    readonly Option<bool> sampling = new("--sampling") { Description = "Sample instead of searching (one sample per beam row)" };
    readonly Option<int> topK = new("--topk") { Description = "Sampling: only the k most likely tokens (0: off)", DefaultValueFactory = _ => Defaults.TopK };
    readonly Option<double> topP = new("--topp") { Description = "Sampling: nucleus probability (1: off)", DefaultValueFactory = _ => Defaults.TopP };
    readonly Option<ulong> seed = new("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => Defaults.Seed };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { beam, lenpen, lenpenStyle, nbest, temperature, maxLenA, maxLenB, minLen, noRepeat, stop, renormalize, sampling, topK, topP, seed })
            command.Options.Add(option);
    }

    /// <summary>
    /// The search of a run: the model's own defaults (Hugging Face's generation defaults for an imported model, ours
    /// otherwise), each changed where its option was given.
    /// </summary>
    public SearchOptions Read(ParseResult parsed, IReadOnlyList<LoadedModel> models)
    {
        var defaults = models.Count == 1 ? SearchOptions.For(models[0].Config) : Defaults;
        T Given<T>(Option<T> option, T fallback) => parsed.GetResult(option) is { Implicit: false } ? parsed.GetValue(option)! : fallback;
        return new SearchOptions
        {
            Beam = Given(beam, defaults.Beam),
            LengthPenalty = Given(lenpen, defaults.LengthPenalty),
            LengthPenaltyStyle = Given(lenpenStyle, StyleName(defaults.LengthPenaltyStyle)) == StyleName(LengthPenaltyStyle.Fairseq) ? LengthPenaltyStyle.Fairseq : LengthPenaltyStyle.Gnmt,
            NBest = Given(nbest, defaults.NBest),
            Temperature = Temperature(parsed.GetValue(temperature)!, models),
            MaxLenA = Given(maxLenA, defaults.MaxLenA),
            MaxLenB = Given(maxLenB, defaults.MaxLenB),
            MinLen = Given(minLen, defaults.MinLen),
            NoRepeatNgram = Given(noRepeat, defaults.NoRepeatNgram),
            Stopping = StopRules[Given(stop, StopName(defaults.Stopping))],
            Renormalize = Given(renormalize, defaults.Renormalize),
            Sampling = parsed.GetValue(sampling),
            TopK = parsed.GetValue(topK),
            TopP = parsed.GetValue(topP),
            Seed = parsed.GetValue(seed),
        }.Validate();
    }

    static string StopName(BeamStopping stopping) => StopRules.First(rule => rule.Value == stopping).Key;

    static string StyleName(LengthPenaltyStyle style) => style == LengthPenaltyStyle.Fairseq ? "fairseq" : "gnmt";

    /// <summary>A number, or `auto`: the temperature `calibrate` recorded beside the (single) model, in calibration.json.</summary>
    public static double Temperature(string text, IReadOnlyList<LoadedModel> models)
    {
        if (text == "auto")
        {
            if (models.Count != 1) throw new InputError("--temperature auto needs exactly one --model");
            return models[0].Directory.FittedTemperature()
                ?? throw InputError.At(models[0].Directory.CalibrationFile, 0, "no such file: --temperature auto needs a fitted temperature (run `lstranslate calibrate`)");
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new InputError($"--temperature must be a positive number or `auto`, got '{text}'");
        return value;
    }
}
