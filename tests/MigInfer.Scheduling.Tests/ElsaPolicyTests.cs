using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class ElsaPolicyTests
{
    private static readonly LatencyModel Model = TestProfiles.Model();
    private static readonly RouterOptions Options = new() { SafetyMargin = Ms(1), ShedLimit = Ms(5) };
    private static readonly TimeSpan Now = TimeSpan.FromSeconds(10);

    private static RouteDecision Route(int samples, double sloMs, params SliceCandidate[] candidates) =>
        ElsaPolicy.Choose(new RouteRequest(samples, Now, Ms(sloMs)), candidates, Model, Options, Now);

    private static SliceCandidate S(string id, string profile, double backlogMs = 0, bool local = false, double transferMs = 0, int maxBatch = 32, bool ready = true) =>
        Slices.Of(Model, id, profile, backlogMs, local, transferMs, maxBatch, ready);

    // Each row: request samples, SLO, the (profile, backlog ms) of slices a..c, the expected slice.
    [Theory]
    [InlineData(1, 20, "1g.10gb", 0, "2g.20gb", 0, "3g.40gb", 0, "a")] // idle: smallest slice
    [InlineData(1, 20, "1g.10gb", 10, "2g.20gb", 0, "3g.40gb", 0, "a")] // high load: packs onto 1g while it still fits
    [InlineData(1, 20, "1g.10gb", 16, "2g.20gb", 0, "3g.40gb", 0, "b")] // 1g would miss: spills to the next size up
    [InlineData(1, 20, "1g.10gb", 16, "2g.20gb", 16, "3g.40gb", 0, "c")] // both smaller ones busy: spills to 3g
    [InlineData(16, 20, "1g.10gb", 0, "2g.20gb", 0, "3g.40gb", 0, "b")] // large request: 1g cannot make it even idle
    [InlineData(16, 20, "1g.10gb", 0, "2g.20gb", 6, "3g.40gb", 0, "c")] // 2g busy: large request takes 3g
    [InlineData(16, 20, "3g.40gb", 0, "2g.20gb", 0, "1g.10gb", 0, "b")] // order of candidates does not matter
    public void SmallestFeasibleSlice_IsChosen(int samples, double sloMs, string pa, double ba, string pb, double bb, string pc, double bc, string expected)
    {
        var decision = Route(samples, sloMs, S("a", pa, ba), S("b", pb, bb), S("c", pc, bc));
        Assert.Equal(RouteOutcome.Routed, decision.Outcome);
        Assert.Equal(expected, decision.SliceId);
        Assert.True(decision.EstimatedFinish + Options.SafetyMargin <= decision.Deadline);
    }

    [Fact]
    public void SameSize_TieBrokenByEarliestFinish()
    {
        var decision = Route(1, 50, S("busy", "2g.20gb", 10), S("idle", "2g.20gb", 2), S("big", "3g.40gb", 0));
        Assert.Equal("idle", decision.SliceId);
    }

    [Fact]
    public void SameSizeAndFinish_TieBrokenByLocal()
    {
        var decision = Route(1, 50, S("peer", "2g.20gb", 4), S("self", "2g.20gb", 4, local: true));
        Assert.Equal("self", decision.SliceId);
        Assert.True(decision.IsLocal);
        Assert.False(decision.IsForward);
    }

    [Fact]
    public void TransferTime_CountsTowardsTheFinish()
    {
        var decision = Route(1, 20, S("far", "1g.10gb", 0, transferMs: 16), S("near", "2g.20gb", 0));
        Assert.Equal("near", decision.SliceId);
        Assert.True(decision.IsForward);
    }

    [Fact]
    public void SafetyMargin_ExcludesSlicesThatFinishJustInTime()
    {
        // 1g finishes at exactly the deadline (16.5 + 3.5 = 20): with a 1 ms margin it does not count.
        var decision = Route(1, 20, S("a", "1g.10gb", 16.5), S("b", "2g.20gb", 0));
        Assert.Equal("b", decision.SliceId);
    }

    [Fact]
    public void NothingFeasible_EarliestFinishWithinShedLimit_IsRoutedLate()
    {
        var decision = Route(1, 20, S("a", "1g.10gb", 40), S("b", "2g.20gb", 19), S("c", "3g.40gb", 30));
        Assert.Equal(RouteOutcome.RoutedLate, decision.Outcome);
        Assert.Equal("b", decision.SliceId);
        Assert.Equal(Now + Ms(22.5), decision.EstimatedFinish);
    }

    [Fact]
    public void NothingWithinShedLimit_IsShed()
    {
        var decision = Route(1, 20, S("a", "1g.10gb", 40), S("b", "2g.20gb", 22), S("c", "3g.40gb", 30));
        Assert.Equal(RouteOutcome.Shed, decision.Outcome);
        Assert.Null(decision.SliceId);
        Assert.False(decision.IsRouted);
    }

    [Fact]
    public void NotReadySlice_IsNeverPicked()
    {
        var decision = Route(1, 20, S("a", "1g.10gb", 0, ready: false), S("b", "3g.40gb", 0));
        Assert.Equal("b", decision.SliceId);
        Assert.Equal(RouteOutcome.NoEligibleSlice, Route(1, 20, S("a", "1g.10gb", ready: false)).Outcome);
    }

    [Fact]
    public void SliceWithTooSmallMaxBatch_IsNeverPicked()
    {
        var decision = Route(8, 50, S("a", "1g.10gb", 0, maxBatch: 4), S("b", "3g.40gb", 30, maxBatch: 8));
        Assert.Equal("b", decision.SliceId);
        Assert.Equal(RouteOutcome.Routed, decision.Outcome);
        Assert.Equal(RouteOutcome.NoEligibleSlice, Route(64, 500, S("a", "7g.80gb", maxBatch: 32)).Outcome);
    }

    [Fact]
    public void LocalOnly_IgnoresPeersEvenWhenTheyAreBetter()
    {
        SliceCandidate[] candidates = [S("peer", "1g.10gb"), S("self", "3g.40gb", 5, local: true)];
        var decision = ElsaPolicy.Choose(new RouteRequest(1, Now, Ms(20)), candidates, Model, Options, Now, localOnly: true);
        Assert.Equal("self", decision.SliceId);
        Assert.Equal(RouteOutcome.NoEligibleSlice, ElsaPolicy.Choose(new RouteRequest(1, Now, Ms(20)), candidates.AsSpan(0, 1), Model, Options, Now, localOnly: true).Outcome);
    }

    [Theory]
    [InlineData(100, 50, null, 150)]
    [InlineData(100, 50, 120.0, 120)]
    [InlineData(100, 50, 170.0, 150)]
    [InlineData(100, 50, 150.0, 150)]
    public void Deadline_IsTheEarlierOfClientDeadlineAndArrivalPlusSlo(double arrivalMs, double sloMs, double? clientMs, double expectedMs)
    {
        var request = new RouteRequest(1, Ms(arrivalMs), Ms(sloMs), clientMs is { } c ? Ms(c) : null);
        Assert.Equal(Ms(expectedMs), request.Deadline);
    }

    [Fact]
    public void ClientDeadline_TighterThanSlo_DrivesTheChoice()
    {
        SliceCandidate[] candidates = [S("a", "1g.10gb", 10), S("b", "3g.40gb")];
        var loose = ElsaPolicy.Choose(new RouteRequest(1, Now, Ms(50)), candidates, Model, Options, Now);
        var tight = ElsaPolicy.Choose(new RouteRequest(1, Now, Ms(50), Now + Ms(10)), candidates, Model, Options, Now);
        Assert.Equal(("a", "b"), (loose.SliceId, tight.SliceId));
    }

    [Theory]
    [InlineData("1g.5gb", 1)]
    [InlineData("3g.20gb", 3)]
    [InlineData("7g.80gb", 7)]
    [InlineData("1c.3g.20gb", 1)]
    [InlineData("12g.1tb", 12)]
    public void ComputeSize_IsParsedFromTheProfilePrefix(string profile, int expected) =>
        Assert.Equal(expected, SliceProfiles.ParseComputeSize(profile));

    [Theory]
    [InlineData("full")]
    [InlineData("g.5gb")]
    [InlineData("0g.5gb")]
    [InlineData("3g")]
    [InlineData("")]
    public void ProfileWithoutComputePrefix_IsNotParsed(string profile) =>
        Assert.False(SliceProfiles.TryParseComputeSize(profile, out _));
}
