using MigInfer.Operator.Controllers;
using MigInfer.Operator.Tests.Fixtures;

namespace MigInfer.Operator.Tests.Controllers;

public sealed class WorkQueueTests
{
    private static readonly Backoff Fast = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50));

    [Fact]
    public async Task KeyAddedTwice_IsHandedOutOnce()
    {
        using var queue = new WorkQueue(Fast, TimeProvider.System);
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        var first = await queue.GetAsync(CancellationToken.None).Within();
        var second = await queue.GetAsync(CancellationToken.None).Within();

        Assert.Equal(["a", "b"], [first, second]);
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task KeyAddedWhileProcessing_ComesBackOnlyAfterDone()
    {
        using var queue = new WorkQueue(Fast, TimeProvider.System);
        queue.Add("a");
        var key = await queue.GetAsync(CancellationToken.None).Within();
        queue.Add("a");
        using var early = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.GetAsync(early.Token));
        queue.Done(key);

        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).Within());
    }

    [Fact]
    public async Task RateLimitedKey_BacksOffAndForgetResets()
    {
        using var queue = new WorkQueue(Fast, TimeProvider.System);
        queue.AddRateLimited("a");
        queue.AddRateLimited("a");

        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).Within());
        Assert.Equal(2, queue.Failures("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
    }

    [Theory]
    [InlineData(0, 5, 15)]
    [InlineData(1, 10, 30)]
    [InlineData(20, 25, 75)]
    public void Backoff_GrowsExponentiallyWithJitterUpToTheCap(int attempt, double minMs, double maxMs)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

        var delays = Enumerable.Range(0, 200).Select(i => backoff.Delay(attempt, new Random(i)).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, minMs, maxMs));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the delays");
    }
}
