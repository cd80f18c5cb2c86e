using LsTranslate.Model.Training;

namespace LsTranslate.Model.Tests.Training;

public class LearningCurveTests
{
    static LearningCurve Curve(params (long Step, double Accuracy)[] dev) => new(
        [Step(10, 0, 5.0), Step(20, 0, 4.0), Step(30, 1, 3.5), Step(100, 3, 2.0)],
        dev.Select(d => new ValidationRecord("valid", d.Step, 3.0 - d.Accuracy, Math.Exp(3.0 - d.Accuracy), d.Accuracy, 1000, false, 0)).ToList());

    static StepRecord Step(long step, int epoch, double loss) => new("train", step, epoch, loss, 1e-3, 1000, step * 100, step);

    [Fact]
    public void ConvergedWhenTheLastQuarterGainsLessThanHalfAPoint()
    {
        var curve = Curve((25, 0.30), (50, 0.40), (75, 0.450), (100, 0.454));
        Assert.Equal(75, curve.WindowStart!.Step);
        Assert.Equal(0.004, curve.FinalGain!.Value, 9);
        Assert.True(curve.Converged);
    }

    [Fact]
    public void NotConvergedWhileAccuracyStillClimbs()
    {
        var curve = Curve((25, 0.30), (50, 0.40), (75, 0.45), (100, 0.46));
        Assert.False(curve.Converged);
    }

    [Fact]
    public void WindowStartsAtTheLastValidationBeforeThreeQuartersOfTheUpdates()
    {
        // No validation at exactly 75: the window widens to the one before it, never narrows.
        var curve = Curve((40, 0.30), (70, 0.449), (100, 0.452));
        Assert.Equal(70, curve.WindowStart!.Step);
        Assert.True(curve.Converged);
        Assert.False(Curve((100, 0.45)).Converged); // one point says nothing
    }

    [Fact]
    public void MarksTheDevNllMinimumAndCountsEpochs()
    {
        var curve = Curve((25, 0.30), (50, 0.60), (75, 0.50), (100, 0.55));
        Assert.Equal(50, curve.NllMinimum!.Step);
        Assert.Equal(100, curve.Final!.Step);
        Assert.Equal(100 / 25.0, curve.Epochs!.Value, 9); // epoch 1 starts between steps 20 and 30
    }
}
