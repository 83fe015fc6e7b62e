using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class ElsaRouterTests
{
    private readonly LatencyModel model = TestProfiles.Model();
    private readonly FixedBacklog self = new(Ms(0));

    private ElsaRouter Router()
    {
        var router = new ElsaRouter(model, new RouterOptions { SafetyMargin = Ms(1), ShedLimit = Ms(2) });
        router.AddLocalSlice("self", "3g.40gb", 32, self);
        router.AddPeerSlice("small", "1g.10gb", 32, Ms(0.5));
        return router;
    }

    private static RouteRequest Small(TimeSpan now) => new(1, now, Ms(20));

    [Fact]
    public void PeerWithoutReport_IsNotRoutedTo()
    {
        var decision = Router().Route(Small(Ms(0)), Ms(0));
        Assert.Equal("self", decision.SliceId);
    }

    [Fact]
    public void ReportingPeer_GetsSmallRequests_UntilItGoesQuiet()
    {
        var router = Router();
        router.ReportBacklog("small", TimeSpan.Zero, Ms(0));
        var decision = router.Route(Small(Ms(10)), Ms(10));
        Assert.Equal(("small", true), (decision.SliceId, decision.IsForward));
        Assert.True(router.IsPeerRoutable("small", Ms(1000)));
        Assert.Null(router.PeerSilentFor("small", Ms(1000)));
        Assert.False(router.IsPeerRoutable("small", Ms(1001)));
        Assert.Equal(Ms(1001), router.PeerSilentFor("small", Ms(1001)));
        Assert.Equal("self", router.Route(Small(Ms(1001)), Ms(1001)).SliceId);
    }

    [Fact]
    public void PeerMarkedUnready_IsNotRoutableAtOnce_ThoughItReportedRecently()
    {
        var router = Router();
        router.ReportBacklog("small", TimeSpan.Zero, Ms(0));
        Assert.True(router.IsPeerRoutable("small", Ms(10)));

        router.SetReady("small", false);

        Assert.False(router.IsPeerRoutable("small", Ms(10)));
        Assert.Null(router.PeerSilentFor("small", Ms(10))); // not routable, but not silent: unready
        Assert.Equal("self", router.Route(Small(Ms(10)), Ms(10)).SliceId);
        Assert.False(router.IsPeerRoutable("self", Ms(10)));
        Assert.False(router.IsPeerRoutable("unknown", Ms(10)));

        router.SetReady("small", true);
        Assert.True(router.IsPeerRoutable("small", Ms(20)));
    }

    [Fact]
    public void ForwardedWork_CountsInThePeerBacklog_UntilItSpillsToTheLocalSlice()
    {
        var router = Router();
        var now = Ms(0);
        router.ReportBacklog("small", TimeSpan.Zero, now);
        var targets = new List<string>();
        for (int id = 0; id < 8; id++)
        {
            var decision = router.Route(Small(now), now);
            targets.Add(decision.SliceId!);
            if (decision.IsForward)
            {
                router.RecordForward(decision, id, now);
            }
        }

        // 0.5 ms transfer + n × 3.5 ms + 3.5 ms + 1 ms margin ≤ 20 ms holds for n ≤ 4 queued requests.
        Assert.Equal(["small", "small", "small", "small", "small", "self", "self", "self"], targets);
        Assert.Equal(Ms(17.5), router.Snapshot(now).Single(s => s.Id == "small").Backlog);
    }

    [Fact]
    public void LocalBacklog_IsReadFromTheLocalSource()
    {
        var router = Router();
        self.Value = Ms(7);
        Assert.Equal(Ms(7), router.Snapshot(Ms(0)).Single(s => s.Id == "self").Backlog);
    }

    [Fact]
    public void RouteLocalOnly_NeverForwards()
    {
        var router = Router();
        router.ReportBacklog("small", TimeSpan.Zero, Ms(0));
        self.Value = Ms(18);
        var decision = router.RouteLocalOnly(Small(Ms(0)), Ms(0));
        Assert.Equal(("self", RouteOutcome.RoutedLate), (decision.SliceId, decision.Outcome));
        Assert.Equal("small", router.Route(Small(Ms(0)), Ms(0)).SliceId);
    }

    [Fact]
    public void NotReadySlice_IsSkippedUntilReadyAgain()
    {
        var router = Router();
        router.ReportBacklog("small", TimeSpan.Zero, Ms(0));
        Assert.True(router.SetReady("small", false));
        Assert.Equal("self", router.Route(Small(Ms(0)), Ms(0)).SliceId);
        router.SetReady("small", true);
        Assert.Equal("small", router.Route(Small(Ms(0)), Ms(0)).SliceId);
        Assert.False(router.SetReady("ghost", true));
    }

    [Fact]
    public void DeadPeer_ItsUnstartedForwardsAreHandedBackForRetry()
    {
        var router = Router();
        router.ReportBacklog("small", TimeSpan.Zero, Ms(0));
        for (int id = 1; id <= 3; id++)
        {
            router.RecordForward(router.Route(Small(Ms(0)), Ms(0)), id, Ms(0));
        }

        router.MarkForwardStarted("small", 2);
        router.CompleteForward("small", 3);
        var retry = new List<ForwardRecord>();
        var lost = new List<ForwardRecord>();

        router.CollectLostForwards(Ms(500), retry, lost);
        Assert.Empty(retry);

        router.CollectLostForwards(Ms(1500), retry, lost);
        Assert.Equal([1L], retry.Select(r => r.RequestId));
        Assert.Equal([2L], lost.Select(r => r.RequestId));
        Assert.All(retry.Concat(lost), r => Assert.Equal("small", r.PeerId));
    }

    [Fact]
    public void RemovedPeer_HandsBackItsForwards()
    {
        var router = Router();
        router.ReportBacklog("small", TimeSpan.Zero, Ms(0));
        router.RecordForward(router.Route(Small(Ms(0)), Ms(0)), 7, Ms(0));
        var retry = new List<ForwardRecord>();
        Assert.True(router.RemoveSlice("small", retry, []));
        Assert.Equal([7L], retry.Select(r => r.RequestId));
        Assert.Equal(1, router.Count);
    }

    [Fact]
    public void RecordForward_OfALocalDecision_IsRefused()
    {
        var router = Router();
        var local = router.Route(Small(Ms(0)), Ms(0));
        Assert.Throws<ArgumentException>(() => router.RecordForward(local, 1, Ms(0)));
    }

    [Fact]
    public void DuplicateSliceId_IsRefused()
    {
        var router = Router();
        Assert.Throws<ArgumentException>(() => router.AddPeerSlice("self", "1g.10gb", 8, TimeSpan.Zero));
    }

    [Fact]
    public void Route_With64Slices_AllocatesNothing()
    {
        var router = new ElsaRouter(model);
        var now = TimeSpan.FromSeconds(5);
        router.AddLocalSlice("self", "2g.20gb", 32, self);
        for (int i = 1; i < 64; i++)
        {
            router.AddPeerSlice($"peer-{i}", Names[i % Names.Length], 32, Ms(0.2));
            router.ReportBacklog($"peer-{i}", Ms(i % 13), now);
        }

        var request = new RouteRequest(4, now, Ms(30));
        router.Route(request, now);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            router.Route(request, now);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
