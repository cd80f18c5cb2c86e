namespace LsTranslate.Model.Distributed;

/// <summary>
/// What a launcher told this process through its variables: its rank and how many processes it started (null where
/// the launcher says only the rank: PMIx, whose size MPI itself reports).
/// </summary>
/// <param name="Launcher">the launcher and the variables it was recognised by, for error lines.</param>
/// <param name="IsOpenMpi">started by Open MPI's mpirun/prterun, whose ABI we do not bind.</param>
public sealed record LaunchedRank(int Rank, int? Size, string Launcher, bool IsOpenMpi = false)
{
    /// <summary>Whether this process is one of several, the only case that loads MPI.</summary>
    public bool OneOfSeveral => Size is null or > 1;

    /// <summary>Reads the variables of Open MPI, MPICH's Hydra (PMI), Slurm's srun and PMIx, in that order; null when none is set.</summary>
    public static LaunchedRank? FromEnvironment(Func<string, string?> variable)
    {
        int Read(string name) => int.TryParse(variable(name), out var value) && value >= 0
            ? value
            : throw new InputError($"the launcher's variable {name} is '{variable(name)}', not a non-negative whole number");

        if (variable("OMPI_COMM_WORLD_SIZE") is not null)
            return new(Read("OMPI_COMM_WORLD_RANK"), Read("OMPI_COMM_WORLD_SIZE"), "Open MPI (OMPI_COMM_WORLD_SIZE)", IsOpenMpi: true);
        if (variable("PMI_SIZE") is not null)
            return new(Read("PMI_RANK"), Read("PMI_SIZE"), "PMI (PMI_RANK, PMI_SIZE)");
        // srun sets SLURM_STEP_NUM_TASKS for its own step; a batch script's single process sees only the job's SLURM_NTASKS.
        if (variable("SLURM_PROCID") is not null && variable("SLURM_STEP_NUM_TASKS") is not null)
            return new(Read("SLURM_PROCID"), Read("SLURM_STEP_NUM_TASKS"), "Slurm (SLURM_PROCID, SLURM_STEP_NUM_TASKS)");
        if (variable("PMIX_RANK") is not null)
            return new(Read("PMIX_RANK"), null, "PMIx (PMIX_RANK)");
        return null;
    }
}
