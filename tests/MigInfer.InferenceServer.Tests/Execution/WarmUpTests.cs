using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Execution;

public sealed class WarmUpTests
{
    [Fact]
    public void BatchedModel_RunsBatchOne_ThenTheMaximumBatchTwice()
    {
        var runner = new EchoRunner(maxBatchSize: 6);

        WarmUp.Run(runner);

        Assert.Equal([1L, 6L, 6L], runner.Batches);
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
}
