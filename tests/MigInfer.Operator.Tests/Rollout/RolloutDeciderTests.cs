using k8s.Models;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Rollout;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Tests.Rollout;

public sealed class RolloutDeciderTests
{
    private static readonly RolloutPolicy Policy = new(MaxGpusInFlight: 8, Timeout: TimeSpan.FromMinutes(10), RetryBackoff: TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ChangedGpu_DrainsExactlyItsPods_AndLeavesUnchangedGpusAlone()
    {
        var applied = new Dictionary<int, string> { [0] = "3g.20gb@0 3g.20gb@4", [1] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "old", "success", Now, 0, applied) };
        var pods = new[] { Pod("a", "n", 0, 0, "3g.20gb"), Pod("a", "n", 0, 4, "3g.20gb"), Pod("b", "n", 1, 0, "7g.40gb") };
        var desired = new[] { Gpu("n", 0, ("7g.40gb", 0, "ns/a")), Gpu("n", 1, ("7g.40gb", 0, "ns/b")) };

        var decision = RolloutDecider.Decide(desired, nodes, pods, Policy, Now);

        Assert.Equal(["a-n-g0-s0", "a-n-g0-s4"], decision.DeletePods.Select(p => p.Metadata.Name).Order());
        Assert.Empty(decision.LabelNodes);
        Assert.Equal(1, decision.GpusToChange);
        Assert.Equal(RolloutDecider.DrainRecheck, decision.WakeUp);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ChangedGpu_IsRelabelledOnlyWhenNoPodIsLeftOnIt_TerminatingOnesIncluded(bool stillTerminating, bool relabelled)
    {
        var applied = new Dictionary<int, string> { [0] = "3g.20gb@0 3g.20gb@4", [1] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "old", "success", Now, 0, applied) };
        var stopping = Pod("a", "n", 0, 0, "3g.20gb");
        stopping.Metadata.DeletionTimestamp = Now.UtcDateTime;
        V1Pod[] pods = stillTerminating ? [stopping, Pod("b", "n", 1, 0, "7g.40gb")] : [Pod("b", "n", 1, 0, "7g.40gb")];
        var desired = new[] { Gpu("n", 0, ("7g.40gb", 0, "ns/a")), Gpu("n", 1, ("7g.40gb", 0, "ns/b")) };

        var decision = RolloutDecider.Decide(desired, nodes, pods, Policy, Now);

        Assert.Empty(decision.DeletePods);
        Assert.Equal(relabelled, decision.LabelNodes.Count == 1);
        var node = Assert.Single(decision.Nodes);
        Assert.Equal(relabelled ? "pending" : "draining", node.State);
        Assert.Equal(relabelled ? null : "waiting for 1 terminating pods to stop", node.Message);
        Assert.Equal(relabelled ? null : RolloutDecider.DrainRecheck, decision.WakeUp);
    }

    [Fact]
    public void DrainedNode_IsLabelledWithANewConfigurationOfAllItsGpus()
    {
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", null, null, null, 0, new Dictionary<int, string>()) };
        var desired = new[] { Gpu("n", 0, ("3g.20gb", 0, "ns/a"), ("3g.20gb", 4, null)), Gpu("n", 1) };

        var decision = RolloutDecider.Decide(desired, nodes, [], Policy, Now);

        var (node, config, attempt) = Assert.Single(decision.LabelNodes);
        Assert.Equal(("n", 0), (node, attempt));
        Assert.Equal("3g.20gb@0 3g.20gb@4", decision.Configs[config][0]);
        Assert.Equal("", decision.Configs[config][1]);
        Assert.Empty(decision.CreatePods);
    }

    [Theory]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    [InlineData("ns/c", false, true)]
    public void SliceMovedOnAConvergedNode_OldPodGoesOnlyWhenTheNewOneIsReadyOrItsSliceIsTaken(string? newOwnerOfOldSlice, bool newPodReady, bool oldPodDeleted)
    {
        var layouts = new Dictionary<int, string> { [0] = "3g.20gb@0 3g.20gb@4", [1] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "cfg", "success", Now, 0, layouts) };
        var desired = new[] { Gpu("n", 0, ("3g.20gb", 0, newOwnerOfOldSlice), ("3g.20gb", 4, "ns/b")), Gpu("n", 1, ("7g.40gb", 0, "ns/a")) };
        var pods = new List<V1Pod> { Ready(Pod("a", "n", 0, 0, "3g.20gb")), Ready(Pod("b", "n", 0, 4, "3g.20gb")) };
        if (newPodReady)
        {
            pods.Add(Ready(Pod("a", "n", 1, 0, "7g.40gb")));
        }

        var decision = RolloutDecider.Decide(desired, nodes, pods, Policy, Now);

        Assert.Equal(oldPodDeleted, decision.DeletePods.Any(p => p.Metadata.Name == "a-n-g0-s0"));
        Assert.DoesNotContain(decision.DeletePods, p => p.Metadata.Name == "b-n-g0-s4");
    }

    [Theory]
    [InlineData("Running", false, false, false)]
    [InlineData("Failed", false, true, true)]
    [InlineData("Succeeded", false, true, true)]
    [InlineData("Failed", true, false, false)]
    public void EndedPodOnAConvergedNode_IsReplacedOnceItsPredecessorIsGone(string phase, bool stillTerminating, bool deleted, bool created)
    {
        var layouts = new Dictionary<int, string> { [0] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "cfg", "success", Now, 0, layouts) };
        var desired = new[] { Gpu("n", 0, ("7g.40gb", 0, "ns/a")) };
        var pod = Ready(Pod("a", "n", 0, 0, "7g.40gb"));
        pod.Status.Phase = phase;
        pod.Metadata.DeletionTimestamp = stillTerminating ? Now.UtcDateTime : null;

        var decision = RolloutDecider.Decide(desired, nodes, [pod], Policy, Now);

        Assert.Equal(deleted, decision.DeletePods.Any(p => p.Metadata.Name == "a-n-g0-s0"));
        Assert.Equal(deleted, decision.Ended.Any(e => e.Pod.Metadata.Name == "a-n-g0-s0" && e.Message.Contains($"phase {phase}", StringComparison.Ordinal)));
        Assert.Equal(created, decision.CreatePods.Count == 1);
        Assert.Equal(deleted || stillTerminating ? RolloutDecider.DrainRecheck : null, decision.WakeUp);
    }

    [Theory]
    [InlineData("new", "new", true, 0)] // both pods run the current spec
    [InlineData("old", "new", true, 1)] // one pod of the service is replaced
    [InlineData("old", "old", true, 1)] // the second waits until the first serves again
    [InlineData("old", "new", false, 0)] // not while a slice of the service does not serve
    [InlineData(null, "new", true, 1)] // a pod created before specs were hashed
    public void PodOfAChangedService_IsReplacedOneAtATimeWhileTheServiceServes(string? firstHash, string? secondHash, bool secondReady, int replaced)
    {
        var layouts = new Dictionary<int, string> { [0] = "3g.20gb@0 3g.20gb@4" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "cfg", "success", Now, 0, layouts) };
        var desired = new[] { Gpu("n", 0, ("3g.20gb", 0, "ns/a"), ("3g.20gb", 4, "ns/a")) };
        var first = WithHash(Ready(Pod("a", "n", 0, 0, "3g.20gb")), firstHash);
        var second = WithHash(Pod("a", "n", 0, 4, "3g.20gb"), secondHash);
        V1Pod[] pods = [first, secondReady ? Ready(second) : second];

        var decision = RolloutDecider.Decide(desired, nodes, pods, Policy, Now, (_, _) => "new");

        Assert.Equal(replaced, decision.Outdated.Count);
        Assert.Equal(decision.Outdated.Select(o => o.Pod.Metadata.Name), decision.DeletePods.Select(p => p.Metadata.Name));
        Assert.All(decision.Outdated, o => Assert.Contains("runs an older spec of ns/a", o.Message, StringComparison.Ordinal));
        Assert.Empty(decision.CreatePods);
        Assert.Equal(firstHash == "new" && secondHash == "new" ? null : RolloutDecider.DrainRecheck, decision.WakeUp);
    }

    [Fact]
    public void WithoutSpecHashes_RunningPodsAreKept()
    {
        var layouts = new Dictionary<int, string> { [0] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "cfg", "success", Now, 0, layouts) };

        var decision = RolloutDecider.Decide([Gpu("n", 0, ("7g.40gb", 0, "ns/a"))], nodes, [Ready(Pod("a", "n", 0, 0, "7g.40gb"))], Policy, Now, (_, _) => null);

        Assert.Empty(decision.Outdated);
        Assert.Empty(decision.DeletePods);
    }

    [Fact]
    public void UnusedNodeTheOperatorNeverConfigured_IsLeftAlone()
    {
        var nodes = new Dictionary<string, NodeMigState> { ["idle"] = new("idle", "all-1g.5gb", "success", Now, 0, new Dictionary<int, string>()) };
        var desired = new[] { Gpu("idle", 0, ("7g.40gb", 0, null)), Gpu("idle", 1) };

        var decision = RolloutDecider.Decide(desired, nodes, [], Policy, Now);

        Assert.Empty(decision.LabelNodes);
        Assert.Empty(decision.Configs);
        Assert.Equal(0, decision.GpusToChange);
        Assert.Equal("Idle", decision.Phase);
    }

    [Fact]
    public void AddingASliceToAService_CreatesOnePodAndDeletesNone()
    {
        var layouts = new Dictionary<int, string> { [0] = "3g.20gb@0 3g.20gb@4", [1] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "cfg", "success", Now, 0, layouts) };
        var desired = new[] { Gpu("n", 0, ("3g.20gb", 0, "ns/a"), ("3g.20gb", 4, "ns/a")), Gpu("n", 1, ("7g.40gb", 0, "ns/a")) };
        var pods = new[] { Ready(Pod("a", "n", 0, 0, "3g.20gb")), Ready(Pod("a", "n", 1, 0, "7g.40gb")) };

        var decision = RolloutDecider.Decide(desired, nodes, pods, Policy, Now);

        var (service, slice) = Assert.Single(decision.CreatePods);
        Assert.Equal(("ns/a", 0, 4), (service, slice.Gpu, slice.Start));
        Assert.Empty(decision.DeletePods);
    }

    [Theory]
    [InlineData("failed", 0, 10, 1)]
    [InlineData("failed", 0, 60, 1)]
    [InlineData("pending", 0, 700, 1)]
    [InlineData("pending", 0, 600, 1)]
    [InlineData("pending", 0, 60, 0)]
    public void FailedOrTimedOut_IsReportedAndRetriedAfterBackoff(string state, int attempt, int secondsAgo, int failures)
    {
        var layouts = new Dictionary<int, string> { [0] = "7g.40gb@0" };
        var nodes = new Dictionary<string, NodeMigState> { ["n"] = new("n", "cfg", state, Now.AddSeconds(-secondsAgo), attempt, layouts) };

        var decision = RolloutDecider.Decide([Gpu("n", 0, ("7g.40gb", 0, "ns/a"))], nodes, [], Policy, Now);

        Assert.Equal(failures, decision.Failures.Count);
        var retried = state == "failed" && secondsAgo >= 30 || state == "pending" && secondsAgo >= 630;
        Assert.Equal(retried ? 1 : 0, decision.LabelNodes.Count);
        Assert.True(retried || decision.WakeUp is not null);
    }

    [Fact]
    public void Budget_LimitsGpusInFlight()
    {
        var nodes = new Dictionary<string, NodeMigState>();
        var desired = Enumerable.Range(0, 4).SelectMany(n => Enumerable.Range(0, 4).Select(g => Gpu($"n{n}", g, ("7g.40gb", 0, "ns/a")))).ToArray();

        var decision = RolloutDecider.Decide(desired, nodes, [], Policy with { MaxGpusInFlight = 8 }, Now);

        Assert.Equal(2, decision.LabelNodes.Count);
        Assert.Equal(16, decision.GpusToChange);
    }

    private static PlannedGpu Gpu(string node, int index, params (string Profile, int Start, string? Service)[] slices) =>
        new(node, index, "NVIDIA-A100-SXM4-40GB", [.. slices.Select(s => new PlacedSlice(s.Profile, s.Start, s.Service))]);

    private static V1Pod WithHash(V1Pod pod, string? hash)
    {
        pod.Metadata.Annotations = hash is null ? null : new Dictionary<string, string> { [WellKnown.PodSpecHashAnnotation] = hash };
        return pod;
    }

    private static V1Pod Ready(V1Pod pod)
    {
        pod.Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
        return pod;
    }

    private static V1Pod Pod(string service, string node, int gpu, int start, string profile) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = Names.SlicePod(service, node, gpu, start),
            NamespaceProperty = "ns",
            Labels = SlicePodRenderer.Labels(service, new SliceAssignment(node, gpu, start, profile)),
        },
    };
}
