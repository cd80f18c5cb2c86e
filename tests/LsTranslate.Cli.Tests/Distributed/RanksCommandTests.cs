using System.Text.Json;

namespace LsTranslate.Cli.Tests.Distributed;

/// <summary>`mpiexec -np 2 lstranslate ranks`: the sum is exact, and a rank kept waiting in a collective sleeps instead of polling.</summary>
public class RanksCommandTests
{
    [SkippableFact]
    public void TheSumIsExactAndAWaitingRankLeavesItsCoreIdle()
    {
        var mpiexec = MpiLauncher.Require();
        using var ranks = MpiLauncher.Start(mpiexec, 2, ["ranks", "--megabytes", "4", "--repeats", "2"]);
        Assert.True(ranks.Wait(TimeSpan.FromMinutes(2)) == 0, ranks.Stderr);
        using var json = JsonDocument.Parse(ranks.Stdout);
        Assert.True(json.RootElement.GetProperty("exact").GetBoolean());
        // MPICH's blocking collectives poll for the whole second rank 0 keeps rank 1 waiting: about 1.0 core.
        double waiting = json.RootElement.GetProperty("waiting_rank_cores").GetDouble();
        Assert.True(waiting < 0.25, $"the waiting rank used {waiting} of a core");
    }
}
