using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

/// <summary>
/// A service on 1g, 2g and 3g slices under Poisson load: 70% small requests (1–2 samples),
/// 30% large ones (12–16 samples), SLO 20 ms. A large request takes 20–26 ms on 1g, so it can
/// only meet the SLO on 2g or 3g.
/// </summary>
public class ServiceSimulationTests
{
    private static readonly string[] Profiles = ["1g.10gb", "2g.20gb", "3g.40gb"];
    private static readonly BatchingOptions Batching = new() { MaxBatchSize = 32, MaxQueueSize = 256 };
    private static readonly RouterOptions Routing = new() { SafetyMargin = Ms(1), ShedLimit = Ms(2) };

    private static ServiceSimulation.Arrival[] Trace(int seed, double rate) =>
        ServiceSimulation.PoissonTrace(seed, 4000, rate, r => r.NextDouble() < 0.7 ? r.Next(1, 3) : r.Next(12, 17), Ms(20));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 300)]
    public void Elsa_SendsSmallRequestsToSmallSlicesAndLargeOnesToLargeSlices(int seed, double rate)
    {
        var sim = new ServiceSimulation(TestProfiles.Model(), Profiles, Batching);
        var results = sim.Run(Trace(seed, rate), sim.Elsa(Routing));

        var small = results.Where(r => r.Request.Samples <= 2 && r.Slice >= 0).ToList();
        var large = results.Where(r => r.Request.Samples >= 12 && r.Slice >= 0).ToList();
        Assert.True(small.Count(r => r.Slice == 0) > 0.5 * small.Count, $"{small.Count(r => r.Slice == 0)} of {small.Count} small requests on 1g");
        Assert.True(large.Count(r => r.Slice == 0) < 0.05 * large.Count, $"{large.Count(r => r.Slice == 0)} of {large.Count} large requests on 1g");
        Assert.True(large.Average(r => r.Slice) > small.Average(r => r.Slice) + 1);
    }

    [Theory]
    [InlineData(4, 100)]
    [InlineData(5, 250)]
    [InlineData(6, 400)]
    public void Elsa_SloAttainment_IsAtLeastRoundRobins(int seed, double rate)
    {
        var trace = Trace(seed, rate);
        var elsaSim = new ServiceSimulation(TestProfiles.Model(), Profiles, Batching);
        double elsa = elsaSim.Run(trace, elsaSim.Elsa(Routing)).Average(r => r.MetSlo ? 1.0 : 0.0);
        var rrSim = new ServiceSimulation(TestProfiles.Model(), Profiles, Batching);
        double roundRobin = rrSim.Run(trace, rrSim.RoundRobin()).Average(r => r.MetSlo ? 1.0 : 0.0);

        Assert.True(elsa >= roundRobin, $"ELSA {elsa:P1} vs round-robin {roundRobin:P1}");
        Assert.True(elsa > 0.9, $"ELSA attainment {elsa:P1}");
    }
}
