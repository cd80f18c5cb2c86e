using LsTranslate.Cli.Tests.Translation;
using LsTranslate.Tests;
using LsTranslate.Decode;

namespace LsTranslate.Cli.Tests.Packaging;

/// <summary>
/// The libraries as a .NET team gets them: packed (dotnet pack) into a folder feed, referenced by a sample console
/// project that knows nothing of this repository (Decode brings Model, Metrics and Core along), built (the package's own build targets make TorchSharp load on
/// Debian 12) and run on a tiny model. It must translate as the library does in-process.
/// </summary>
public class PackagedLibraryTests(DecodeCommandTests.TinyModel model) : IClassFixture<DecodeCommandTests.TinyModel>, IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("lst-package-").FullName;
    // A version of its own: the global package cache never hands a later run this run's packages.
    readonly string version = $"0.1.0-test.{Environment.ProcessId}.{DateTime.UtcNow.Ticks}";

    public void Dispose()
    {
        Directory.Delete(work, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "lstranslate.core", "lstranslate.metrics", "lstranslate.model", "lstranslate.decode" })
            if (Directory.Exists(Path.Combine(cache, id, version))) Directory.Delete(Path.Combine(cache, id, version), recursive: true);
    }

    static string Dotnet(string folder, params string[] args) => ExternalProgram.Run("dotnet", folder, args);

    [Fact]
    public void ASampleProjectTranslatesThroughThePackedLibrary()
    {
        // The configuration the tests were built in is the one whose library builds exist.
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        string feed = Path.Combine(work, "feed");
        foreach (var project in new[] { "src/LsTranslate.Core", "src/LsTranslate.Metrics", "src/LsTranslate.Model", "src/LsTranslate.Decode" })
            Dotnet(RepositoryFiles.Root, "pack", project, "-c", configuration, "--no-build", "-o", feed, $"-p:Version={version}", "-nologo");
        Assert.True(File.Exists(Path.Combine(feed, $"LsTranslate.Decode.{version}.nupkg")));

        string sample = Path.Combine(work, "sample");
        Directory.CreateDirectory(sample);
        File.WriteAllText(Path.Combine(sample, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(sample, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LsTranslate.Decode" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(sample, "Program.cs"), """
            using LsTranslate.Decode;
            using var model = LsTranslate.Decode.TranslationModel.Load(args[0], "last");
            model.Search = model.Search with { MaxLenB = 3 };
            foreach (var line in model.Translate(args.Skip(1))) Console.WriteLine(line);
            """);
        Dotnet(sample, "build", "-c", "Release", "-nologo", "-v", "q");
        string printed = Dotnet(sample, Path.Combine("bin", "Release", "net10.0", "Sample.dll"), model.Dir, "file 1 is open", "", "file 2 is open");

        using var library = TranslationModel.Load(model.Dir, "last");
        library.Search = library.Search with { MaxLenB = 3 };
        Assert.Equal(string.Concat(library.Translate(["file 1 is open", "", "file 2 is open"]).Select(l => l + "\n")), printed.Replace("\r\n", "\n"));
    }
}
