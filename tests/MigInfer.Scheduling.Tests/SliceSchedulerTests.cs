using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.Requests;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class SliceSchedulerTests
{
    private readonly LatencyModel model = TestProfiles.Model();
    private readonly List<RequestHandle> batch = [];

    private SliceScheduler Scheduler(int maxBatch = 8, int maxQueue = 4) =>
        new(model, model.Resolve("1g.10gb"), new BatchingOptions { MaxBatchSize = maxBatch, MaxQueueSize = maxQueue });

    [Fact]
    public void FullQueue_RejectsWithAClearReason()
    {
        var s = Scheduler(maxQueue: 2);
        s.Enqueue(Make(1, 1, 0, 50), Ms(0));
        s.Enqueue(Make(2, 1, 0, 50), Ms(0));
        var third = Make(3, 1, 0, 50);
        Assert.Equal(EnqueueStatus.QueueFull, s.Enqueue(third, Ms(0)));
        var outcome = third.Outcome!.Value;
        Assert.Equal((OutcomeKind.Rejected, OutcomeReason.QueueFull), (outcome.Kind, outcome.Reason));
        Assert.Contains("full (2 requests)", outcome.Message);
    }

    [Fact]
    public void RequestLargerThanMaxBatch_IsRejectedAtEnqueue()
    {
        var r = Make(1, 9, 0, 500);
        Assert.Equal(EnqueueStatus.BatchTooLarge, Scheduler(maxBatch: 8).Enqueue(r, Ms(0)));
        Assert.Equal(OutcomeReason.BatchTooLarge, r.Outcome!.Value.Reason);
        Assert.Contains("9 exceeds", r.Outcome!.Value.Message);
    }

    [Fact]
    public void UnreachableDeadline_IsAnsweredAtEnqueue()
    {
        var r = Make(1, 1, 0, 3);
        Assert.Equal(EnqueueStatus.DeadlineUnreachable, Scheduler().Enqueue(r, Ms(0)));
        Assert.Equal(OutcomeKind.Expired, r.Outcome!.Value.Kind);
    }

    [Fact]
    public void HandleOfferedTwice_IsNotQueuedAgain()
    {
        var s = Scheduler();
        var r = Make(1, 9, 0, 50);
        s.Enqueue(r, Ms(0));
        Assert.Equal(EnqueueStatus.AlreadyCompleted, s.Enqueue(r, Ms(0)));
        Assert.Equal(0, s.PendingCount);
    }

    [Fact]
    public void CompleteBatch_AnswersMembersOnceAndFeedsTheLatencyModel()
    {
        var s = Scheduler();
        var a = Make(1, 1, 0, 50);
        var b = Make(2, 1, 0, 50);
        s.Enqueue(a, Ms(0));
        s.Enqueue(b, Ms(0));
        s.NextBatch(Ms(0), batch);
        Assert.True(s.IsBusy);
        Assert.Throws<InvalidOperationException>(() => s.NextBatch(Ms(1), batch));

        Assert.True(b.TryComplete(RequestOutcome.Failed(OutcomeReason.ExecutionFailed, "bad input tensor")));
        s.CompleteBatch(Ms(10));
        Assert.False(s.IsBusy);
        Assert.Equal(OutcomeKind.Completed, a.Outcome!.Value.Kind);
        Assert.Equal(OutcomeKind.Failed, b.Outcome!.Value.Kind);
        Assert.False(a.TryComplete(RequestOutcome.Failed(OutcomeReason.ExecutionFailed, "late")));
        Assert.Equal(1, model.GetStats().Single().Observations);
    }

    [Fact]
    public void FailBatch_AnswersEveryMemberWithTheFailure()
    {
        var s = Scheduler();
        var a = Make(1, 2, 0, 50);
        s.Enqueue(a, Ms(0));
        s.NextBatch(Ms(0), batch);
        s.FailBatch("CUDA error: out of memory");
        Assert.Equal((OutcomeKind.Failed, "CUDA error: out of memory"), (a.Outcome!.Value.Kind, a.Outcome!.Value.Message));
        Assert.Empty(model.GetStats());
        Assert.Throws<InvalidOperationException>(() => s.FailBatch("again"));
    }

    [Fact]
    public void Backlog_IsQueuedWorkPlusTheRunningBatchRemainder()
    {
        var s = Scheduler(maxBatch: 1);
        s.Enqueue(Make(1, 1, 0, 50), Ms(0));
        s.Enqueue(Make(2, 1, 0, 50), Ms(0));
        s.Enqueue(Make(3, 1, 0, 50), Ms(0));
        Assert.Equal(Ms(10.5), s.Backlog(Ms(0)));
        s.NextBatch(Ms(0), batch);
        Assert.Equal(Ms(7 + 2.5), s.Backlog(Ms(1)));
        Assert.Equal(Ms(7), s.Backlog(Ms(20)));
    }

    [Fact]
    public void Shutdown_RejectsQueuedAndLaterRequests()
    {
        var s = Scheduler();
        var queued = Make(1, 1, 0, 50);
        s.Enqueue(queued, Ms(0));
        Assert.Equal(1, s.Shutdown("draining"));
        Assert.Equal((OutcomeKind.Rejected, OutcomeReason.Stopped), (queued.Outcome!.Value.Kind, queued.Outcome!.Value.Reason));
        var late = Make(2, 1, 0, 50);
        Assert.Equal(EnqueueStatus.Stopped, s.Enqueue(late, Ms(0)));
        Assert.Equal(TimeSpan.Zero, s.Backlog(Ms(0)));
    }

    [Fact]
    public async Task Completion_RunsContinuationsOffTheCompletingThread()
    {
        var r = Make(1, 1, 0, 50);
        var waiter = r.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(r.TryComplete(RequestOutcome.Completed));
        Assert.Equal(OutcomeKind.Completed, (await waiter).Kind);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(4, 1, 0)]
    [InlineData(4, 5, 1)]
    public void InvalidBatchingOptions_AreRefused(int maxBatch, int preferred, int maxQueue)
    {
        var options = new BatchingOptions { MaxBatchSize = maxBatch, PreferredBatchSizes = [preferred], MaxQueueSize = maxQueue };
        Assert.ThrowsAny<ArgumentException>(() => new SliceScheduler(model, model.Resolve("1g.10gb"), options));
    }
}
