using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class PeerBacklogTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public void NoReportYet_PeerIsDead()
    {
        var peer = new PeerBacklog("p", Window);
        Assert.False(peer.IsAlive(TimeSpan.Zero));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void Liveness_FollowsTheWindowSinceTheLastReport(double afterMs, bool alive)
    {
        var peer = new PeerBacklog("p", Window);
        peer.Report(Ms(5), Ms(100));
        Assert.Equal(alive, peer.IsAlive(Ms(100 + afterMs)));
    }

    [Fact]
    public void Estimate_IsReportPlusSentWorkDrainedByElapsedTime()
    {
        var peer = new PeerBacklog("p", Window);
        peer.Report(Ms(10), Ms(0));
        Assert.Equal(Ms(6), peer.Estimate(Ms(4)));
        peer.RecordForward(1, Ms(5), Ms(4));
        Assert.Equal(Ms(11), peer.Estimate(Ms(4)));
        Assert.Equal(Ms(8), peer.Estimate(Ms(7)));
        Assert.Equal(TimeSpan.Zero, peer.Estimate(Ms(100)));
        peer.Report(Ms(2), Ms(8));
        Assert.Equal(Ms(1), peer.Estimate(Ms(9)));
    }

    [Fact]
    public void WorkSentAfterTheQueueDrained_IsNotDrainedByTheIdleTimeBefore()
    {
        var peer = new PeerBacklog("p", Window);
        peer.Report(Ms(1), Ms(0));
        peer.RecordForward(1, Ms(5), Ms(50));
        Assert.Equal(Ms(5), peer.Estimate(Ms(50)));
    }

    [Fact]
    public void InFlight_SplitsIntoRetryableAndStarted()
    {
        var peer = new PeerBacklog("p", Window);
        peer.Report(TimeSpan.Zero, Ms(0));
        peer.RecordForward(1, Ms(1), Ms(1));
        peer.RecordForward(2, Ms(1), Ms(2));
        peer.RecordForward(3, Ms(1), Ms(3));
        Assert.True(peer.MarkStarted(2));
        Assert.True(peer.Complete(3));
        Assert.False(peer.Complete(3));
        Assert.False(peer.MarkStarted(42));

        var notStarted = new List<ForwardRecord>();
        var started = new List<ForwardRecord>();
        peer.TakeInFlight(notStarted, started);
        Assert.Equal([1L], notStarted.Select(r => r.RequestId));
        Assert.Equal([2L], started.Select(r => r.RequestId));
        Assert.Equal(0, peer.InFlightCount);
    }
}
