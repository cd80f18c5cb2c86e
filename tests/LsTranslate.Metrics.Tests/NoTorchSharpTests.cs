using System.Text.Json;
using LsTranslate.Metrics;

namespace LsTranslate.Metrics.Tests;

/// <summary>
/// The metrics package is for projects that only want scores: nothing it references, directly or through another
/// project or package, may bring TorchSharp or libtorch along.
/// </summary>
public class NoTorchSharpTests
{
    static readonly string[] Forbidden = ["TorchSharp", "libtorch", "LsTranslate.Model", "LsTranslate.Decode"];

    [Fact]
    public void TheMetricsAssemblyReferencesOnlyTheRuntimeAndCore()
    {
        var references = typeof(Bleu).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System") || name is "netstandard" or "LsTranslate.Core", $"LsTranslate.Metrics references {name}"));
    }

    /// <summary>This test project references the metrics project alone, so its resolved graph is the package's.</summary>
    [Fact]
    public void TheResolvedDependencyGraphHasNoTorchSharp()
    {
        string depsFile = Path.Combine(AppContext.BaseDirectory, "LsTranslate.Metrics.Tests.deps.json");
        var libraries = JsonDocument.Parse(File.ReadAllText(depsFile)).RootElement.GetProperty("libraries")
            .EnumerateObject().Select(library => library.Name).ToList();
        Assert.Contains(libraries, name => name.StartsWith("LsTranslate.Metrics/"));
        foreach (var name in libraries)
            Assert.DoesNotContain(Forbidden, forbidden => name.Contains(forbidden, StringComparison.OrdinalIgnoreCase));
    }
}
