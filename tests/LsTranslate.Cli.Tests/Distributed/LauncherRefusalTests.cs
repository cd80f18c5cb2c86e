using LsTranslate.Cli.Tests.Faults;
using LsTranslate.Tests;

namespace LsTranslate.Cli.Tests.Distributed;

/// <summary>A launcher LsTranslate cannot bind, or no MPI library, ends in one error line: never N separate runs writing one --out.</summary>
public class LauncherRefusalTests : TempFolderTest
{
    (int Code, string Stderr) Train(Dictionary<string, string> environment)
    {
        string corpus = Path.Combine(Root, "train.tsv");
        File.WriteAllLines(corpus, Enumerable.Range(0, 20).Select(i => $"house {i}\tHaus {i}"));
        using var process = CliProcess.Start(["train", "--train", corpus, "--out", Path.Combine(Root, "model"), "--preset", "tiny",
            "--vocab-size", "300", "--max-steps", "1"], environment);
        int code = process.Wait(TimeSpan.FromMinutes(1));
        return (code, process.Stderr.Trim());
    }

    [Fact]
    public void OpenMpisLauncherIsRefused()
    {
        var (code, stderr) = Train(new() { ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_RANK"] = "0" });
        Assert.Equal(2, code);
        Assert.Equal("lstranslate: error: started by Open MPI's launcher (Open MPI (OMPI_COMM_WORLD_SIZE)), whose ABI LsTranslate does not bind; " +
                     "start it with an MPICH-family launcher (MPICH, Intel MPI, MVAPICH, Cray MPICH; Debian: mpiexec.mpich from the mpich package)", stderr);
        Assert.False(Directory.Exists(Path.Combine(Root, "model")));
    }

    [Fact]
    public void NoMpiLibraryIsOneErrorLine()
    {
        var (code, stderr) = Train(new() { ["PMI_SIZE"] = "2", ["PMI_RANK"] = "0", ["LSTRANSLATE_MPI_LIBRARY"] = "/nonexistent/libmpi.so.12" });
        Assert.Equal(2, code);
        Assert.Equal("lstranslate: error: this process is one of several, but no MPI library of MPICH's ABI loads (tried /nonexistent/libmpi.so.12); " +
                     "install one (Debian: apt-get install mpich) or name it in LSTRANSLATE_MPI_LIBRARY", stderr);
    }

    [Fact]
    public void OneRankOfOneTrainsWithoutMpi()
    {
        var (code, stderr) = Train(new() { ["PMI_SIZE"] = "1", ["PMI_RANK"] = "0", ["LSTRANSLATE_MPI_LIBRARY"] = "/nonexistent/libmpi.so.12" });
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("data-parallel", stderr);
    }
}
