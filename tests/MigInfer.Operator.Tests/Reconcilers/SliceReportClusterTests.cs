using System.Diagnostics;
using k8s;
using k8s.Models;
using MigInfer.Operator.Probing;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Tests.Cluster;
using MigInfer.Operator.Tests.Fixtures;
using Xunit.Abstractions;

namespace MigInfer.Operator.Tests.Reconcilers;

/// <summary>The leader's prober against the fake slice servers: the MIG device each pod really got, observed latencies, unreachable servers.</summary>
public sealed class SliceReportClusterTests(ITestOutputHelper output)
{
    private const string Node = "gpu-0";
    private readonly TestLog _log = new(output);

    [Fact]
    public async Task PodReportsAnotherGpu_IsAnnotatedAndDrainedExactlyWhenThatGpuChanges()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        cluster.StartOperator();
        var (moved, stays) = await TwoSlicesOnOneGpuAsync(cluster);
        var full = Gpu(moved);
        var other = 1 - full;
        cluster.Slices.RunsOn(moved.Metadata.Name, other);

        await Timeouts.Eventually(async () => (await PodAsync(cluster, moved.Metadata.Name))?.Metadata.Annotations?.TryGetValue(WellKnown.MigDeviceAnnotation, out var device) == true
            && device == $"{other}/MIG-{Node}-{other}-{moved.Metadata.Labels[WellKnown.StartLabel]}", "the moved pod's mig-device annotation");
        Assert.Equal($"{full}/MIG-{Node}-{full}-{stays.Metadata.Labels[WellKnown.StartLabel]}", (await PodAsync(cluster, stays.Metadata.Name))!.Metadata.Annotations[WellKnown.MigDeviceAnnotation]);
        await Timeouts.Eventually(async () => (await cluster.Client.CoreV1.ListNamespacedEventAsync("ml").Within()).Items
            .Count(e => e.Reason == "SliceDeviceMoved" && e.Type == "Normal") == 1, "one SliceDeviceMoved event");
        Assert.Equal(moved.Metadata.Name, (await cluster.Client.CoreV1.ListNamespacedEventAsync("ml").Within()).Items.Single(e => e.Reason == "SliceDeviceMoved").InvolvedObject.Name);

        // A service that can only use 3g slices, and needs more than the full GPU could make room for, re-lays out the
        // GPU the plan left free (its unused 7g) and not the full one.
        var wide = TestServices.Service("wide", rps: 400);
        wide.Spec!.Profile!.Latencies = [new() { Profile = "3g.20gb", Batch = 1, Ms = 2.5 }, new() { Profile = "3g.20gb", Batch = 8, Ms = 8 }];
        var before = await cluster.GetPlanAsync();
        await cluster.ApplyAsync(wide);
        await cluster.ReadyAsync("wide");
        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status!.Rollout!.Phase == "Idle", "rollout idle");

        var after = await cluster.GetPlanAsync();
        Assert.Equal(Layout(before, full), Layout(after, full));
        Assert.NotEqual(Layout(before, other), Layout(after, other));
        var now = await PodAsync(cluster, moved.Metadata.Name);
        Assert.NotEqual(moved.Metadata.Uid, now?.Metadata.Uid);
        Assert.Equal(stays.Metadata.Uid, (await PodAsync(cluster, stays.Metadata.Name))!.Metadata.Uid);
    }

    [Fact]
    public async Task TwoPodsReportLatencies_StatusAggregatesThemAndIgnoresSmallMoves()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        cluster.StartOperator();
        var (a, b) = await TwoSlicesOnOneGpuAsync(cluster);
        var profile = a.Metadata.Labels[WellKnown.ProfileLabel];
        cluster.Slices.Measures(a.Metadata.Name, new ObservedPoint { Batch = 1, Ms = 4, Samples = 1000 }, new ObservedPoint { Batch = 8, Ms = 10, Samples = 100 });
        cluster.Slices.Measures(b.Metadata.Name, new ObservedPoint { Batch = 1, Ms = 6, Samples = 3000 });

        var expected = $"{profile}/1: 5.5 ms, 4000 samples, 2 slices; {profile}/8: 10 ms, 100 samples, 1 slices";
        await Timeouts.Eventually(async () => Observed(await cluster.GetServiceAsync("first")) == expected, $"observedProfile {expected}");

        // +1.5 % and still under 4096 samples: not worth a status write.
        var writes = cluster.Server.RequestCounts.GetValueOrDefault("update InferenceService");
        var probes = cluster.Slices.Asked(b.Metadata.Name);
        cluster.Slices.Measures(b.Metadata.Name, new ObservedPoint { Batch = 1, Ms = 6.1, Samples = 3050 });
        await Timeouts.Eventually(() => Task.FromResult(cluster.Slices.Asked(b.Metadata.Name) >= probes + 3), "three more probes");
        Assert.Equal(writes, cluster.Server.RequestCounts.GetValueOrDefault("update InferenceService"));
        Assert.Equal(expected, Observed(await cluster.GetServiceAsync("first")));

        cluster.Slices.Measures(b.Metadata.Name, new ObservedPoint { Batch = 1, Ms = 9, Samples = 3000 });
        expected = $"{profile}/1: 7.75 ms, 4000 samples, 2 slices; {profile}/8: 10 ms, 100 samples, 1 slices";
        await Timeouts.Eventually(async () => Observed(await cluster.GetServiceAsync("first")) == expected, $"observedProfile {expected}");
    }

    [Fact]
    public async Task SliceServerRefusesConnections_ServiceStillBecomesReadyAndIsAskedAgainEachInterval()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.Slices.Refuse("first");
        cluster.StartOperator(sliceProbeInterval: TimeSpan.FromMilliseconds(400));

        await cluster.ApplyAsync(TestServices.Service("first", rps: 100));
        await cluster.ReadyAsync("first");
        // However many slices the plan gives the service (one GPU's worth), each is probed on its own; follow one.
        var pod = (await cluster.PodsAsync()).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First();
        await Timeouts.Eventually(() => Task.FromResult(cluster.Slices.Asked(pod.Metadata.Name) >= 1), "a first probe");
        var first = cluster.Slices.Asked(pod.Metadata.Name);
        var clock = Stopwatch.StartNew();
        await Timeouts.Eventually(() => Task.FromResult(cluster.Slices.Asked(pod.Metadata.Name) >= first + 3), "three more probes");

        // Asked again each interval, and not in a hot loop: three more probes take about three intervals at least. A
        // loaded machine can only make them slower, so no upper bound on the time (a count in a fixed window failed
        // there: 2 probes in 2 s).
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(3 * 400 * 0.8), $"three more probes within {clock.Elapsed.TotalMilliseconds:0} ms of a 400 ms interval");
        Assert.Null((await PodAsync(cluster, pod.Metadata.Name))!.Metadata.Annotations?.Keys.FirstOrDefault(k => k == WellKnown.MigDeviceAnnotation));
        cluster.Slices.Refuse("first", refuse: false);
        await Timeouts.Eventually(async () => (await PodAsync(cluster, pod.Metadata.Name))!.Metadata.Annotations?.ContainsKey(WellKnown.MigDeviceAnnotation) == true, "annotated once it answers");
    }

    [Fact]
    public async Task PlannerUsesObservedProfile_ReplansWhenTheSlicesMeasureTooSlow()
    {
        var plan = TestServices.Plan();
        plan.Spec!.Planner = new PlannerPolicySpec { UseObservedProfile = true };
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log, plan);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("first", rps: 400));
        await cluster.ReadyAsync("first");
        var pod = Assert.Single(await cluster.PodsAsync());
        Assert.Equal("7g.40gb", pod.Metadata.Labels[WellKnown.ProfileLabel]);

        // Measured far slower than the spec says (and than beta × SLO allows): the planner stops using 7g.
        cluster.Slices.Measures(pod.Metadata.Name, new ObservedPoint { Batch = 1, Ms = 40, Samples = 500 }, new ObservedPoint { Batch = 8, Ms = 90, Samples = 500 });

        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status!.Gpus!.SelectMany(g => g.Slices!).Where(s => s.Service == "ml/first").ToList() is { Count: > 0 } slices
            && slices.All(s => s.Profile != "7g.40gb"), "a plan without 7g for first");
        await cluster.ReadyAsync("first");
    }

    /// <summary>
    /// "first" and then "second" on one node with two GPUs: the planner (one worker, fixed seed) puts both slices of
    /// "first" and the one of "second" on one GPU and leaves an unused 7g on the other. Returns first's two pods.
    /// </summary>
    private static async Task<(V1Pod, V1Pod)> TwoSlicesOnOneGpuAsync(TestCluster cluster)
    {
        await cluster.ApplyAsync(TestServices.Service("first", rps: 400));
        await cluster.ReadyAsync("first");
        await cluster.ApplyAsync(TestServices.Service("second", rps: 100));
        await cluster.ReadyAsync("second");
        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status!.Rollout!.Phase == "Idle"
            && (await cluster.PodsAsync()).Count(p => p.Metadata.Labels[WellKnown.ServiceLabel] == "first") == 2, "first on two slices");
        var pods = (await cluster.PodsAsync()).Where(p => p.Metadata.Labels[WellKnown.ServiceLabel] == "first").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(Gpu(pods[0]), Gpu(pods[1]));
        return (pods[0], pods[1]);
    }

    private static int Gpu(V1Pod pod) => int.Parse(pod.Metadata.Labels[WellKnown.GpuLabel], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<V1Pod?> PodAsync(TestCluster cluster, string name) =>
        (await cluster.PodsAsync()).FirstOrDefault(p => p.Metadata.Name == name);

    private static string? Layout(MigPlan plan, int gpu) =>
        plan.Status!.Gpus!.FirstOrDefault(g => g.Node == Node && g.Index == gpu) is { } g ? string.Join(' ', g.Slices!.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start}")) : null;

    private static string Observed(InferenceService? service) =>
        string.Join("; ", service?.Status?.ObservedProfile?.Select(p => $"{p.Profile}/{p.Batch}: {p.Ms} ms, {p.Samples} samples, {p.Slices} slices") ?? []);
}
