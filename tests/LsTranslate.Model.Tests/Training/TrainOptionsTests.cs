using LsTranslate.Model.Training;

namespace LsTranslate.Model.Tests.Training;

/// <summary>TrainOptions' checks name the field that is wrong, not a command-line option.</summary>
public class TrainOptionsTests
{
    static readonly TrainOptions Good = new() { MaxSteps = 10 };

    [Fact]
    public void TheDefaultsWithABudgetPass() => Good.Validate();

    public static TheoryData<TrainOptions, string, string> Wrong => new()
    {
        { Good with { LearningRate = 0 }, "LearningRate", "LearningRate must be positive, got 0" },
        { Good with { LabelSmoothing = 1 }, "LabelSmoothing", "LabelSmoothing must be in [0, 1), got 1" },
        { Good with { WarmupSteps = 0 }, "WarmupSteps", "WarmupSteps must be at least 1, got 0" },
        { Good with { LrSchedule = LearningRateSchedule.Cosine, MaxSteps = null, MaxEpochs = 1 }, "LrSchedule",
            "LrSchedule cosine needs MaxSteps: it decays to a tenth of the peak there" },
        { Good with { MaxSteps = null }, "MaxSteps", "give a budget: MaxSteps, MaxEpochs or MaxTime" },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void AWrongValueNamesItsField(TrainOptions options, string field, string message)
    {
        var error = Assert.Throws<InvalidOption>(options.Validate);
        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void EachFrontEndWritesTheFieldsItsOwnWay()
    {
        var error = Assert.Throws<InvalidOption>((Good with { MaxSteps = null }).Validate);
        Assert.Equal("give a budget: max_steps, max_epochs or max_time", error.Render(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName));
    }
}
