using LsTranslate.Model.Training;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Model.Marian;

/// <summary>
/// A Marian model's generation defaults as transformers reads them: generation_config.json where there is one,
/// otherwise the generation fields of config.json, each absent field at GenerationConfig's default.
/// </summary>
static class MarianGeneration
{
    public const string File = "generation_config.json";

    public static GenerationDefaults Read(string dir, string configPath)
    {
        string path = Path.Combine(dir, File);
        if (!System.IO.File.Exists(path)) path = configPath;
        var json = MarianConfig.ReadObject(path);
        var defaults = new GenerationDefaults();
        var early = json["early_stopping"];
        if (early is not null && early.GetValueKind() == System.Text.Json.JsonValueKind.String)
            throw InputError.At(path, 0, $"early_stopping: \"{early.GetValue<string>()}\" is not supported (true or false)");
        var read = new GenerationDefaults
        {
            Beam = MarianConfig.Field(path, json, "num_beams", node => node.GetValue<int>(), defaults.Beam),
            LengthPenalty = MarianConfig.Field(path, json, "length_penalty", node => node.GetValue<double>(), defaults.LengthPenalty),
            MaxLength = MarianConfig.Field(path, json, "max_length", node => node.GetValue<int>(), defaults.MaxLength),
            Renormalize = MarianConfig.Field(path, json, "renormalize_logits", node => node.GetValue<bool>(), defaults.Renormalize),
            EarlyStopping = MarianConfig.Field(path, json, "early_stopping", node => node.GetValue<bool>(), defaults.EarlyStopping),
            NoRepeatNgram = MarianConfig.Field(path, json, "no_repeat_ngram_size", node => node.GetValue<int>(), defaults.NoRepeatNgram),
        };
        if (read.Beam < 1) throw InputError.At(path, 0, $"num_beams must be at least 1, got {read.Beam}");
        if (read.MaxLength < 2) throw InputError.At(path, 0, $"max_length must be at least 2 (the start token and EOS), got {read.MaxLength}");
        return read;
    }
}
