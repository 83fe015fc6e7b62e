using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Execution;

public sealed class WarmUpTests
{
    private static readonly DimensionLimits SequenceAtMost64 =
        DimensionLimits.Create(null, new Dictionary<string, long> { ["sequence"] = 64 }, "--max-dims", [("x", ["batch", "sequence"])]);

    [Fact]
    public void BatchedModel_RunsBatchOne_ThenTheMaximumBatchTwice()
    {
        var runner = new EchoRunner(maxBatchSize: 6);

        var result = WarmUp.Run(runner);

        Assert.Equal([[1L, 1L], [6L, 1L], [6L, 1L]], runner.Shapes);
        Assert.Null(result.LeftOut);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(8, false)]
    public void ModelWithoutALargerBatch_RunsOnce(int maxBatchSize, bool batched)
    {
        var runner = new EchoRunner(maxBatchSize, batched);

        WarmUp.Run(runner);

        Assert.Equal([1L], runner.Batches);
    }

    [Fact]
    public void LimitedDimensions_AreThenRunAtTheirLongest_AtBatchOneAndTheMaximumBatch()
    {
        var runner = new EchoRunner(maxBatchSize: 6, limits: SequenceAtMost64);

        var result = WarmUp.Run(runner, TimeSpan.MaxValue);

        Assert.Equal([[1L, 1L], [6L, 1L], [6L, 1L], [1L, 64L], [1L, 64L], [6L, 64L], [6L, 64L]], runner.Shapes);
        Assert.Null(result.LeftOut);
    }

    [Fact]
    public void LongestLengthsAtTheMaximumBatch_PredictedOverTheBudget_AreLeftOutAndSaidSo()
    {
        var runner = new EchoRunner(maxBatchSize: 6, limits: SequenceAtMost64) { BeforeRun = () => Task.Delay(5) };

        var result = WarmUp.Run(runner, TimeSpan.FromMilliseconds(20));

        // Batch 1 at 64 took at least 5 ms, so batch 6 twice is predicted at 60 ms or more: over 20 ms.
        Assert.Equal([[1L, 1L], [6L, 1L], [6L, 1L], [1L, 64L], [1L, 64L]], runner.Shapes);
        Assert.True(result.LeftOut >= TimeSpan.FromMilliseconds(60), $"predicted {result.LeftOut}");
    }

    [Fact]
    public void LimitedDimensions_OfAModelServedWithoutBatching_RunAtTheirLongestTwice()
    {
        var runner = new EchoRunner(maxBatchSize: 8, batched: false, limits: SequenceAtMost64);

        var result = WarmUp.Run(runner, TimeSpan.Zero);

        Assert.Equal([[1L, 1L], [1L, 64L], [1L, 64L]], runner.Shapes);
        Assert.Null(result.LeftOut);
    }
}
