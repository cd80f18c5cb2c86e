using LsTranslate.Model.Distributed;

namespace LsTranslate.Model.Tests.Distributed;

public class LaunchedRankTests
{
    static LaunchedRank? From(params (string Name, string Value)[] variables)
    {
        var set = variables.ToDictionary(v => v.Name, v => v.Value);
        return LaunchedRank.FromEnvironment(name => set.GetValueOrDefault(name));
    }

    [Fact]
    public void APlainRunIsNoLaunchedRank() => Assert.Null(From());

    [Fact]
    public void HydraPmiGivesRankAndSize()
    {
        var launched = From(("PMI_RANK", "1"), ("PMI_SIZE", "4"))!;
        Assert.Equal((1, 4, false, true), (launched.Rank, launched.Size, launched.IsOpenMpi, launched.OneOfSeveral));
    }

    [Fact]
    public void OneRankOfOneIsNotOneOfSeveral() => Assert.False(From(("PMI_RANK", "0"), ("PMI_SIZE", "1"))!.OneOfSeveral);

    [Fact]
    public void OpenMpiIsRecognisedBeforeAnythingElse()
    {
        var launched = From(("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "2"), ("PMIX_RANK", "0"))!;
        Assert.True(launched.IsOpenMpi);
        Assert.Equal(2, launched.Size);
    }

    [Fact]
    public void SlurmCountsOnlyTheTasksOfAnSrunStep()
    {
        // A batch script's own process sees the job's task count, yet is one process.
        Assert.Null(From(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "8")));
        var launched = From(("SLURM_PROCID", "3"), ("SLURM_NTASKS", "8"), ("SLURM_STEP_NUM_TASKS", "8"))!;
        Assert.Equal((3, 8), (launched.Rank, launched.Size));
    }

    [Fact]
    public void PmixGivesOnlyTheRankSoMpiIsAskedTheSize()
    {
        var launched = From(("PMIX_RANK", "2"))!;
        Assert.Null(launched.Size);
        Assert.True(launched.OneOfSeveral);
    }

    [Fact]
    public void AVariableThatIsNoNumberIsOneErrorLine()
    {
        var error = Assert.Throws<InputError>(() => From(("PMI_RANK", "one"), ("PMI_SIZE", "2")));
        Assert.Equal("the launcher's variable PMI_RANK is 'one', not a non-negative whole number", error.Message);
    }
}
