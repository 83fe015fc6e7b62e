using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Execution;

public sealed class LatencySeedTests
{
    [Fact]
    public void ProfileFile_GivesTheSliceProfilesPoints()
    {
        var path = Write("1g.10gb:\n  1: 2.5\n  8: 9\n3g.40gb: {1: 1.0}\n");

        var seed = LatencySeed.Load(path, "1g.10gb");

        Assert.Equal(new Dictionary<int, double> { [1] = 2.5, [8] = 9 }, seed);
    }

    [Theory]
    [InlineData("3g.40gb: {1: 1.0}\n", "no latencies for slice profile '1g.10gb' (profiles: 3g.40gb)")]
    [InlineData("1g.10gb: {0: 1.0}\n", "batch 0 -> 1 ms")]
    [InlineData("1g.10gb: {2: -1}\n", "batch 2 -> -1 ms")]
    [InlineData("- not a map\n", "is not a map of MIG profile")]
    public void BadProfileFile_NamesTheProblem(string yaml, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => LatencySeed.Load(Write(yaml), "1g.10gb"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_TimesBatchOneAndTheMaximumBatch()
    {
        var runner = new EchoRunner(maxBatchSize: 6);

        var seed = LatencySeed.Measure(runner);

        Assert.Equal([1, 6], seed.Keys.Order());
        Assert.All(seed.Values, ms => Assert.True(ms > 0));
        Assert.Equal([1L, 6L], runner.Batches);
    }

    private static string Write(string yaml)
    {
        var path = Path.Combine(Scratch.NewFolder("latency-seed"), "profile.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
