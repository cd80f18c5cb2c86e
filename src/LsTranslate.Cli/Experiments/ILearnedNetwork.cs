using LsTranslate.Vision;

namespace LsTranslate.Cli.Experiments;

/// <summary>A vision network of a reproduction: the label its report gives it and its learning curve.</summary>
public interface ILearnedNetwork
{
    string Label { get; }
    VisionLearningCurve Learning { get; }
}
