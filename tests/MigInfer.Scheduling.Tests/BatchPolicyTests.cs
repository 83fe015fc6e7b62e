using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.Requests;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

/// <summary>Batching through <see cref="SliceScheduler"/> on a 1g slice: lat(1)=3.5, lat(2)=5, lat(3)=6.5, lat(4)=8 ms.</summary>
public class BatchPolicyTests
{
    private readonly LatencyModel model = TestProfiles.Model();
    private readonly List<RequestHandle> batch = [];

    private SliceScheduler Scheduler(int maxBatch = 32, double delayMs = 0, int[]? preferred = null, int maxQueue = 64) =>
        new(model, model.Resolve("1g.10gb"), new BatchingOptions
        {
            MaxBatchSize = maxBatch,
            MaxQueueDelay = Ms(delayMs),
            PreferredBatchSizes = preferred ?? [],
            MaxQueueSize = maxQueue,
        });

    private static void EnqueueAll(SliceScheduler scheduler, double nowMs, params RequestHandle[] requests)
    {
        foreach (var r in requests)
        {
            Assert.Equal(EnqueueStatus.Accepted, scheduler.Enqueue(r, Ms(nowMs)));
        }
    }

    [Fact]
    public void NoDelay_DispatchesEveryCompatibleRequestAtOnce()
    {
        var s = Scheduler();
        EnqueueAll(s, 0, Make(1, 1, 0, 50), Make(2, 1, 0, 50), Make(3, 1, 0, 50));
        var d = s.NextBatch(Ms(0), batch);
        Assert.Equal((BatchDecisionKind.Dispatch, 3, 3), (d.Kind, d.Count, d.Samples));
        Assert.Equal(Ms(6.5), d.PredictedLatency);
        Assert.Equal([1L, 2L, 3L], batch.Select(r => r.Id));
    }

    [Fact]
    public void MaxBatchSize_CapsTheBatchInSamples()
    {
        var s = Scheduler(maxBatch: 4);
        EnqueueAll(s, 0, Make(1, 2, 0, 50), Make(2, 3, 0, 51), Make(3, 2, 0, 52));
        var d = s.NextBatch(Ms(0), batch);
        Assert.Equal([1L, 3L], batch.Select(r => r.Id));
        Assert.Equal(4, d.Samples);
        Assert.Equal(1, s.PendingCount);
    }

    [Fact]
    public void PreferredSize_DispatchesAtOnceDespiteTheDelay()
    {
        var s = Scheduler(delayMs: 10, preferred: [4]);
        EnqueueAll(s, 0, Make(1, 1, 0, 50), Make(2, 1, 0, 50), Make(3, 1, 0, 50), Make(4, 1, 0, 50), Make(5, 1, 0, 50));
        var d = s.NextBatch(Ms(0), batch);
        Assert.Equal((BatchDecisionKind.Dispatch, 4), (d.Kind, d.Samples));
        Assert.Equal(1, s.PendingCount);
    }

    [Fact]
    public void LargestPreferredPrefix_IsDispatched()
    {
        var s = Scheduler(delayMs: 10, preferred: [2, 5]);
        EnqueueAll(s, 0, Make(1, 1, 0, 50), Make(2, 1, 0, 50), Make(3, 1, 0, 50));
        var d = s.NextBatch(Ms(0), batch);
        Assert.Equal((BatchDecisionKind.Dispatch, 2), (d.Kind, d.Samples));
    }

    [Fact]
    public void BelowPreferredSize_WaitsUntilTheOldestRequestReachesTheDelay()
    {
        var s = Scheduler(delayMs: 5, preferred: [4]);
        EnqueueAll(s, 1, Make(1, 1, 1, 100), Make(2, 1, 2, 100));
        var d = s.NextBatch(Ms(2), batch);
        Assert.Equal((BatchDecisionKind.Wait, Ms(6)), (d.Kind, d.WaitUntil));
        Assert.Empty(batch);

        d = s.NextBatch(Ms(6), batch);
        Assert.Equal((BatchDecisionKind.Dispatch, 2), (d.Kind, d.Samples));
    }

    [Fact]
    public void DelayWithoutPreferredSizes_WaitsForAFullBatch()
    {
        var s = Scheduler(maxBatch: 2, delayMs: 5);
        EnqueueAll(s, 0, Make(1, 1, 0, 100));
        Assert.Equal(BatchDecisionKind.Wait, s.NextBatch(Ms(0), batch).Kind);
        EnqueueAll(s, 1, Make(2, 1, 1, 100));
        Assert.Equal((BatchDecisionKind.Dispatch, 2), (s.NextBatch(Ms(1), batch).Kind, batch.Count));
    }

    [Fact]
    public void Wait_IsCutShortWhenSlackRunsOut()
    {
        var s = Scheduler(delayMs: 20, preferred: [8]);
        EnqueueAll(s, 0, Make(1, 1, 0, 10), Make(2, 1, 0, 100));
        var d = s.NextBatch(Ms(0), batch);

        // The pair takes 5 ms and request 1 must finish by 10 ms: start by 5 ms at the latest.
        Assert.Equal((BatchDecisionKind.Wait, Ms(5)), (d.Kind, d.WaitUntil));
        Assert.Equal(BatchDecisionKind.Dispatch, s.NextBatch(Ms(5), batch).Kind);
        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public void NoSlackLeft_DispatchesInsteadOfWaiting()
    {
        var s = Scheduler(delayMs: 20, preferred: [8]);
        EnqueueAll(s, 0, Make(1, 1, 0, 5));
        var d = s.NextBatch(Ms(1), batch);

        // Alone it takes 3.5 ms against a 5 ms deadline: it may wait until 1.5 ms, then must go.
        Assert.Equal((BatchDecisionKind.Wait, Ms(1.5)), (d.Kind, d.WaitUntil));
        Assert.Equal(BatchDecisionKind.Dispatch, s.NextBatch(Ms(1.5), batch).Kind);
    }

    [Fact]
    public void RequestThatWouldBreakTheHeadsDeadline_StaysOut()
    {
        var s = Scheduler();
        EnqueueAll(s, 0, Make(1, 1, 0, 4.5), Make(2, 1, 0, 100), Make(3, 3, 0, 100));
        var d = s.NextBatch(Ms(0), batch);
        Assert.Equal([1L], batch.Select(r => r.Id));
        Assert.Equal(2, s.PendingCount);
        s.CompleteBatch(d.PredictedLatency);
        s.NextBatch(d.PredictedLatency, batch);
        Assert.Equal([2L, 3L], batch.Select(r => r.Id));
    }

    [Fact]
    public void Queue_IsServedEarliestDeadlineFirst()
    {
        var s = Scheduler(maxBatch: 1);
        EnqueueAll(s, 0, Make(1, 1, 0, 90), Make(2, 1, 0, 30), Make(3, 1, 0, 60), Make(4, 1, 0, 30));
        var order = new List<long>();
        var now = Ms(0);
        while (s.PendingCount > 0)
        {
            var d = s.NextBatch(now, batch);
            order.AddRange(batch.Select(r => r.Id));
            now += d.PredictedLatency;
            s.CompleteBatch(d.PredictedLatency);
        }

        Assert.Equal([2L, 4L, 3L, 1L], order);
    }

    [Fact]
    public void DifferentShapes_NeverShareABatch()
    {
        var s = Scheduler();
        EnqueueAll(s, 0, Make(1, 1, 0, 40, ShapeB), Make(2, 1, 0, 41, ShapeA), Make(3, 1, 0, 42, ShapeB), Make(4, 1, 0, 43, ShapeA));
        var d = s.NextBatch(Ms(0), batch);
        Assert.Equal([1L, 3L], batch.Select(r => r.Id));
        s.CompleteBatch(d.PredictedLatency);
        s.NextBatch(d.PredictedLatency, batch);
        Assert.Equal([2L, 4L], batch.Select(r => r.Id));
    }

    [Fact]
    public void HopelessRequests_AreExpiredAndReported()
    {
        var s = Scheduler();
        EnqueueAll(s, 0, Make(1, 1, 0, 4), Make(2, 4, 0, 9), Make(3, 1, 0, 50));
        var expired = new List<RequestHandle>();
        var d = s.NextBatch(Ms(2), batch, expired);
        Assert.Equal([1L, 2L], expired.Select(r => r.Id));
        Assert.Equal(2, d.ExpiredCount);
        Assert.All(expired, r => Assert.Equal((OutcomeKind.Expired, OutcomeReason.DeadlineExceeded), (r.Outcome!.Value.Kind, r.Outcome!.Value.Reason)));
        Assert.Equal([3L], batch.Select(r => r.Id));
    }

    [Fact]
    public void OnlyExpiredRequests_LeaveTheExecutorIdle()
    {
        var s = Scheduler();
        EnqueueAll(s, 0, Make(1, 1, 0, 4));
        var d = s.NextBatch(Ms(1), batch);
        Assert.Equal((BatchDecisionKind.Idle, 1, 0), (d.Kind, d.ExpiredCount, s.PendingCount));
    }

    [Theory]
    [InlineData(100, 120, true)]
    [InlineData(65, 128, true)]
    [InlineData(100, 200, false)]
    [InlineData(64, 65, false)]
    public void VariableLengthInputs_ShareABucketOnlyWithinOnePowerOfTwo(long a, long b, bool same)
    {
        var ka = ShapeKey.OfBucketed([a, 768], [0]);
        var kb = ShapeKey.OfBucketed([b, 768], [0]);
        Assert.Equal(same, ka == kb);
        Assert.NotEqual(ShapeKey.Of([a, 768]), ShapeKey.Of([a, 769]));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    public void BucketLength_IsTheNextPowerOfTwo(long length, long bucket) => Assert.Equal(bucket, ShapeKey.BucketLength(length));

    [Fact]
    public void CombinedKeys_DependOnEveryInputAndItsOrder()
    {
        Assert.NotEqual(ShapeA.Combine(ShapeB), ShapeB.Combine(ShapeA));
        Assert.Equal(ShapeA.Combine(ShapeB), ShapeKey.Of([3, 224, 224]).Combine(ShapeKey.Of([3, 112, 112])));
    }

    [Fact]
    public void Decide_OverAQueueOf256_AllocatesNothing()
    {
        var options = new BatchingOptions { MaxBatchSize = 32, MaxQueueDelay = Ms(2), PreferredBatchSizes = [16, 32] };
        var profile = model.Resolve("3g.40gb");
        var entries = Enumerable.Range(0, 256)
            .Select(i => new QueueEntry(Make(i, 1 + (i % 3), 0, 40 + i, i % 4 == 0 ? ShapeB : ShapeA), Ms(3)))
            .ToArray();
        int[] chosen = new int[32];
        int[] expired = new int[256];
        BatchPolicy.Decide(entries, Ms(1), model, profile, options, chosen, expired);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var d = BatchPolicy.Decide(entries, Ms(1), model, profile, options, chosen, expired);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(BatchDecisionKind.Dispatch, d.Kind);
    }

    [Fact]
    public void TooSmallIndexBuffers_AreRefused()
    {
        var entries = new[] { new QueueEntry(Make(1, 1, 0, 50), Ms(3)), new QueueEntry(Make(2, 1, 0, 50), Ms(3)) };
        Assert.Throws<ArgumentException>(() =>
            BatchPolicy.Decide(entries, Ms(0), model, model.Resolve("1g.10gb"), new BatchingOptions(), new int[2], new int[1]));
    }
}
