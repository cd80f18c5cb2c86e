using System.Text.Json;
using LsTranslate.Decode.Search;
using LsTranslate.Model;
using LsTranslate.Model.Training;

namespace LsTranslate.Cli.Arguments;

/// <summary>
/// The command line's words for the fields an <see cref="InvalidOption"/> names: each field's option, which is its
/// property in kebab case (MaxLenA: --max-len-a) unless the option was given a shorter name.
/// </summary>
static class OptionNames
{
    public static string Of(string property) => property switch
    {
        nameof(SearchOptions.NBest) => "--nbest",
        nameof(SearchOptions.LengthPenalty) => "--lenpen",
        nameof(SearchOptions.TopK) => "--topk",
        nameof(SearchOptions.TopP) => "--topp",
        nameof(TrainOptions.LearningRate) => "--lr", // vision's LearningRate too
        nameof(TrainOptions.WarmupSteps) => "--warmup",
        _ => "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property),
    };

    /// <summary>The error as the command line says it: "--lr must be positive, got 0".</summary>
    public static string Render(InvalidOption error) => error.Render(Of);
}
