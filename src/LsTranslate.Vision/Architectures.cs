namespace LsTranslate.Vision;

/// <summary>The networks known by name on the command line.</summary>
public static class Architectures
{
    /// <summary>resnet8 is a test-sized member of the same family; resnet20 the default; resnet56 the paper's.</summary>
    public static IReadOnlyList<string> Names => ["resnet20", "resnet56", "resnet8", "alexnet"];

    public static ImageClassifier Create(string name, int inputChannels, int classes, int height, int width) => name switch
    {
        "resnet8" => new ResNet(8, inputChannels, classes),
        "resnet20" => new ResNet(20, inputChannels, classes),
        "resnet56" => new ResNet(56, inputChannels, classes),
        "alexnet" => new AlexNetSmall(inputChannels, classes, height, width),
        _ => throw new InputError($"unknown architecture '{name}' (known: {string.Join(", ", Names)})"),
    };
}
