using LsTranslate.Cli.Server;
using LsTranslate.Decode.Search;
using LsTranslate.Model.Training;
using LsTranslate.Model.ModelFiles;

namespace LsTranslate.Cli.Tests.Server;

public class TranslateRequestTests
{
    static readonly SearchOptions HuggingFace = SearchOptions.From(new GenerationDefaults { Beam = 6, LengthPenalty = 1.0, MaxLength = 512, Renormalize = true });

    [Fact]
    public void ARequestThatSaysNothingSearchesAsTheModelDoes()
    {
        string? asked = "unset";
        var request = TranslateRequest.Parse("""{"text": "hi", "model": "opus"}""", new ServeLimits(), name => { asked = name; return HuggingFace; });
        Assert.Equal("opus", asked);
        Assert.Equal(HuggingFace, request.Search);
    }

    [Fact]
    public void WhatTheRequestSaysOverridesTheModelsDefaults()
    {
        var request = TranslateRequest.Parse("""{"text": "hi", "beam": 2, "lenpen": 0.5}""", new ServeLimits(), _ => HuggingFace);
        Assert.Equal(HuggingFace with { Beam = 2, LengthPenalty = 0.5 }, request.Search);
    }
}
