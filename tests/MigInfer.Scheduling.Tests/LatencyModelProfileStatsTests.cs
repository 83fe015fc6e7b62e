using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class LatencyModelProfileStatsTests
{
    [Fact]
    public void BeforeAnyObservation_IsEmpty()
    {
        var model = Model();
        Assert.Empty(model.GetStats(model.Resolve("3g.40gb")));
    }

    [Fact]
    public void ObservedBuckets_OfThatProfileOnly_InAscendingBatchOrder()
    {
        var model = Model();
        var mine = model.Resolve("3g.40gb");
        var other = model.Resolve("1g.10gb");
        model.Observe(mine, 8, Ms(9));
        model.Observe(mine, 1, Ms(4));
        model.Observe(mine, 3, Ms(5));
        model.Observe(mine, 4, Ms(5));
        model.Observe(other, 2, Ms(5));

        var stats = model.GetStats(mine);

        Assert.Equal([(1, 1L), (4, 2L), (8, 1L)], stats.Select(s => (s.MaxBatch, s.Observations)));
        Assert.All(stats, s => Assert.Equal("3g.40gb", s.Profile));
        Assert.Equal(model.GetStats().Where(s => s.Profile == "3g.40gb"), stats);
    }

    [Fact]
    public void ErrorAndCorrection_AreTheBucketsOwn()
    {
        var model = Model(new LatencyModelOptions { Smoothing = 1.0 });
        var p = model.Resolve("7g.80gb");
        var seed = model.PredictSeed(p, 2).TotalMilliseconds;
        model.Observe(p, 2, Ms(2 * seed));

        var stats = Assert.Single(model.GetStats(p));

        Assert.Equal(2.0, stats.CorrectionFactor, 3);
        Assert.Equal(0.5, stats.MeanAbsoluteRelativeError, 3);
    }

    [Fact]
    public async Task WhileAnotherThreadObserves_EveryReadIsConsistentAndCountsOnlyGrow()
    {
        const int Observations = 200_000;
        var model = Model(new LatencyModelOptions { ErrorWindow = 4 });
        var p = model.Resolve("2g.20gb");
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < Observations; i++)
            {
                model.Observe(p, 1 + (i % 2), Ms(1 + (i % 5)));
            }
        });

        long last = 0;
        while (!writer.IsCompleted)
        {
            var stats = model.GetStats(p);
            long total = stats.Sum(s => s.Observations);
            Assert.True(total >= last, $"observations went back from {last} to {total}");
            Assert.All(stats, s => Assert.InRange(s.MeanAbsoluteRelativeError, 0, 10));
            Assert.All(stats, s => Assert.InRange(s.CorrectionFactor, 0.1, 10));
            last = total;
        }

        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Observations, model.GetStats(p).Sum(s => s.Observations));
    }

    [Fact]
    public void HandleFromAnotherModel_IsRefused()
    {
        var other = Model().Resolve("3g.40gb");
        Assert.Throws<ArgumentException>(() => Model().GetStats(other));
    }
}
