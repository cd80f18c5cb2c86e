namespace LsTranslate.Tests;

/// <summary>
/// A test class whose every test gets a folder of its own under the system's temporary folder (xunit makes one instance
/// per test), removed with all it holds when the test ends. Shared by every test project (tests/Shared).
/// </summary>
public abstract class TempFolderTest : IDisposable
{
    protected TempFolderTest() => Root = Directory.CreateTempSubdirectory($"lst-{GetType().Name}-").FullName;

    /// <summary>The test's folder.</summary>
    protected string Root { get; }

    public virtual void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
