using System.Text.RegularExpressions;
using System.Xml.Linq;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests;

/// <summary>
/// docs/architecture.md stays true: its diagram names every source folder of every project and no other, its thick
/// arrows are the projects' references, every step of its two paths names a type declared in that step's folder, the
/// diagram's path arrows join consecutive steps, and each path's summary counts its own steps, projects and folders.
/// </summary>
public class ArchitectureDocumentTests
{
    static readonly string Document = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "architecture.md"));
    static readonly string Diagram = Regex.Match(Document, @"```mermaid\n(?<d>.*?)```", RegexOptions.Singleline).Groups["d"].Value;

    static string Source(string project) => Path.Combine(RepositoryFiles.Root, "src", $"LsTranslate.{project}");

    /// <summary>"Project/Folder" for every folder of src/ holding C# files, "Project/root" for a project's own.</summary>
    static SortedSet<string> FoldersInCode() =>
        [.. Directory.GetDirectories(Path.Combine(RepositoryFiles.Root, "src"), "LsTranslate.*").SelectMany(projectDir =>
        {
            string project = Path.GetFileName(projectDir)["LsTranslate.".Length..];
            return Directory.GetFiles(projectDir, "*.cs", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(projectDir, Path.GetDirectoryName(file)!))
                .Where(folder => !folder.StartsWith("bin") && !folder.StartsWith("obj"))
                .Select(folder => $"{project}/{(folder == "." ? "root" : folder)}");
        })];

    [Fact]
    public void TheDiagramNamesEverySourceFolderAndNoOther()
    {
        var drawn = new SortedSet<string>(Regex.Matches(Diagram, @"^\s+(?<p>[A-Za-z]+)_(?<f>\w+)\[", RegexOptions.Multiline)
            .Select(m => $"{m.Groups["p"].Value}/{m.Groups["f"].Value}"));
        Assert.Equal(FoldersInCode(), drawn);
    }

    [Fact]
    public void TheThickArrowsAreTheProjectReferences()
    {
        var references = new SortedSet<string>(Directory.GetDirectories(Path.Combine(RepositoryFiles.Root, "src"), "LsTranslate.*")
            .SelectMany(dir => XDocument.Load(Directory.GetFiles(dir, "*.csproj").Single()).Descendants("ProjectReference")
                .Select(r => $"{Path.GetFileName(dir)["LsTranslate.".Length..]} ==> {Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)["LsTranslate.".Length..]}")));
        var drawn = new SortedSet<string>(Regex.Matches(Diagram, @"^\s+(\w+) ==> (\w+)\s*$", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} ==> {m.Groups[2].Value}"));
        Assert.Equal(references, drawn);
    }

    [Theory]
    [InlineData("d", "A decoded line")]
    [InlineData("t", "A training update")]
    public void EveryStepNamesATypeOfItsFolderAndTheArrowsFollowTheSteps(string prefix, string heading)
    {
        var section = Regex.Match(Document, $@"## {heading}\n(?<s>.*?)(?=\n## |\z)", RegexOptions.Singleline).Groups["s"].Value;
        var steps = Regex.Matches(section, $@"^\| {prefix}(?<n>\d+) \| (?<project>\w+)/(?<folder>\w+) \| (?<type>\w+) \|", RegexOptions.Multiline)
            .Select(m => (N: int.Parse(m.Groups["n"].Value), Project: m.Groups["project"].Value, Folder: m.Groups["folder"].Value, Type: m.Groups["type"].Value))
            .ToList();
        Assert.NotEmpty(steps);
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.N));

        foreach (var step in steps)
        {
            var folder = Path.Combine(Source(step.Project), step.Folder);
            Assert.True(Directory.Exists(folder), $"{prefix}{step.N}: no folder {step.Project}/{step.Folder}");
            bool declared = Directory.GetFiles(folder, "*.cs").Any(file =>
                Regex.IsMatch(File.ReadAllText(file), $@"\b(class|record|interface|struct|enum) {step.Type}\b"));
            Assert.True(declared, $"{prefix}{step.N}: {step.Type} is not declared in {step.Project}/{step.Folder}");
        }

        var arrows = Regex.Matches(Diagram, $@"^\s+(?<from>\w+) -->\|{prefix}(?<n>\d+)\| (?<to>\w+)\s*$", RegexOptions.Multiline)
            .ToDictionary(m => int.Parse(m.Groups["n"].Value), m => (From: m.Groups["from"].Value, To: m.Groups["to"].Value));
        static string Node((int N, string Project, string Folder, string Type) s) => $"{s.Project}_{s.Folder}";
        var expected = steps.Zip(steps.Skip(1)).Where(p => Node(p.First) != Node(p.Second))
            .ToDictionary(p => p.First.N, p => (From: Node(p.First), To: Node(p.Second)));
        Assert.Equal(expected.OrderBy(e => e.Key), arrows.OrderBy(a => a.Key));

        var summary = Regex.Match(section, @"(?<steps>\d+) steps, (?<projects>\d+) projects, (?<folders>\d+) folders");
        Assert.True(summary.Success, $"{heading}: no 'N steps, P projects, F folders' line");
        Assert.Equal(steps.Count, int.Parse(summary.Groups["steps"].Value));
        Assert.Equal(steps.Select(s => s.Project).Distinct().Count(), int.Parse(summary.Groups["projects"].Value));
        Assert.Equal(steps.Select(Node).Distinct().Count(), int.Parse(summary.Groups["folders"].Value));
    }
}
