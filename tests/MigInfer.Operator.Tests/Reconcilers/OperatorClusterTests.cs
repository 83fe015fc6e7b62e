using System.Diagnostics;
using k8s;
using k8s.Models;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Rollout;
using MigInfer.Operator.Tests.Cluster;
using MigInfer.Operator.Tests.Fixtures;
using Xunit.Abstractions;

namespace MigInfer.Operator.Tests.Reconcilers;

/// <summary>The operator against the fake API server with a fake MIG manager and kubelet, through the real KubernetesClient.</summary>
public sealed class OperatorClusterTests(ITestOutputHelper output)
{
    private readonly TestLog _log = new(output);

    [Fact]
    public async Task ApplyService_PlansConfiguresLabelsCreatesPodsAndBecomesReady()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 2, gpus: 2, _log);
        var running = cluster.StartOperator();

        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 300));
        await cluster.ReadyAsync("resnet");

        var plan = await cluster.GetPlanAsync();
        Assert.NotNull(plan.Status!.InputHash);
        Assert.NotNull(plan.Status.SolveTimeMs);
        Assert.NotNull(plan.Status.Gap);
        Assert.Equal(4, plan.Status.GpusTotal);
        var planned = plan.Status.Gpus!.SelectMany(g => g.Slices!.Where(s => s.Service == "ml/resnet").Select(s => (g.Node, g.Index, s.Start))).ToList();
        Assert.NotEmpty(planned);

        var config = await cluster.MigConfigAsync();
        Assert.Contains("mig-configs:", config!.Data["config.yaml"], StringComparison.Ordinal);
        foreach (var node in planned.Select(p => p.Node).Distinct())
        {
            var labels = (await cluster.Client.CoreV1.ReadNodeAsync(node).Within()).Metadata.Labels;
            Assert.Equal("success", labels[WellKnown.MigConfigState]);
            Assert.Contains(labels[WellKnown.MigConfig] + ":", config.Data["config.yaml"], StringComparison.Ordinal);
        }

        var service = (await cluster.GetServiceAsync("resnet"))!;
        var pods = await cluster.PodsAsync();
        Assert.Equal(planned.Count, pods.Count);
        Assert.Equal(planned.Count, service.Status!.Slices!.Count);
        Assert.All(service.Status.Slices, s => Assert.True(s.Ready));
        Assert.Contains(WellKnown.Finalizer, service.Metadata.Finalizers);
        Assert.Equal("http://resnet.ml.svc.cluster.local:8000", service.Status.Url);
        Assert.True(service.Status.PlannedCapacityRps >= 300);
        Assert.All(service.Status.Conditions!, c =>
        {
            Assert.Equal("True", c.Status);
            Assert.Equal(service.Metadata.Generation, c.ObservedGeneration);
            Assert.Matches("^[A-Z][A-Za-z]+$", c.Reason);
        });
        Assert.Equal(["PartitionApplied", "PartitionPlanned", "PredictorReady", "Ready"], service.Status.Conditions!.Select(c => c.Type).Order(StringComparer.Ordinal));
        var services = await cluster.Client.CoreV1.ListNamespacedServiceAsync("ml").Within();
        Assert.Equal(["resnet", "resnet-peers"], services.Items.Select(s => s.Metadata.Name).Order(StringComparer.Ordinal));
        var events = await cluster.Client.CoreV1.ListEventForAllNamespacesAsync().Within();
        Assert.Contains(events.Items, e => e.Reason == "PlanComputed" && e.Type == "Normal");

        await Timeouts.Eventually(() => Task.FromResult(running.Metrics.RolloutPhase.WithLabels("Idle").Value == 1), "rollout phase metric Idle");
        Assert.Equal(plan.Status.GpusUsed, (int)running.Metrics.GpusUsed.Value);
        Assert.Equal(4, running.Metrics.GpusTotal.Value);
        Assert.Equal(planned.Count, running.Metrics.SlicesPerProfile.GetAllLabelValues().Sum(l => running.Metrics.SlicesPerProfile.WithLabels(l).Value));
        Assert.True(running.Metrics.PlanSolveDuration.Count >= 1);
        Assert.Equal(0, running.Metrics.RolloutGpusInFlight.Value);
    }

    [Fact]
    public async Task TrafficUpThenDown_ChangesOnlyTheGpusItMust()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 2, gpus: 2, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("steady", rps: 300));
        await cluster.ApplyAsync(TestServices.Service("bursty", rps: 100));
        await cluster.ReadyAsync("steady");
        await cluster.ReadyAsync("bursty");

        var keptTotal = 0;
        foreach (var rps in new[] { 1500.0, 100.0 })
        {
            var before = await cluster.GetPlanAsync();
            var podsBefore = await cluster.PodsAsync();
            var bursty = (await cluster.GetServiceAsync("bursty"))!;
            bursty.Spec!.Traffic!.RequestsPerSecond = rps;
            await cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<InferenceService>(bursty, MigInferApi.Group, MigInferApi.Version, "ml", InferenceService.Plural, "bursty").Within();
            await Timeouts.Eventually(async () => (await cluster.GetServiceAsync("bursty"))?.Status is { } s
                && s.Conditions!.Any(c => c.Type == "Ready" && c.Status == "True" && c.ObservedGeneration == bursty.Metadata.Generation + 1)
                && (await cluster.GetPlanAsync()).Status!.Rollout!.Phase == "Idle", $"bursty at {rps} rps converges");

            var after = await cluster.GetPlanAsync();
            var unchanged = after.Status!.Gpus!.Where(g => Layout(before, g.Node!, g.Index!.Value) == Layout(after, g.Node!, g.Index!.Value))
                .Select(g => (g.Node, g.Index!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();
            var podsAfter = (await cluster.PodsAsync()).ToDictionary(p => p.Metadata.Name);
            var kept = podsBefore.Where(p => unchanged.Contains((p.Metadata.Labels[WellKnown.NodeLabel], p.Metadata.Labels[WellKnown.GpuLabel]))
                && after.Status.Gpus!.Any(g => g.Node == p.Metadata.Labels[WellKnown.NodeLabel] && g.Slices!.Any(s => s.Service == $"ml/{p.Metadata.Labels[WellKnown.ServiceLabel]}"
                    && s.Start.ToString() == p.Metadata.Labels[WellKnown.StartLabel] && g.Index.ToString() == p.Metadata.Labels[WellKnown.GpuLabel]))).ToList();
            Assert.All(kept, p => Assert.Equal(p.Metadata.Uid, podsAfter[p.Metadata.Name].Metadata.Uid));
            Assert.NotEqual(Owners(before), Owners(after));
            keptTotal += kept.Count;
            await cluster.ReadyAsync("steady");
        }

        Assert.True(keptTotal > 0, "no pod survived a traffic change; every GPU was re-laid out");
    }

    [Fact]
    public async Task DeleteService_FreesItsSlicesUpdatesThePlanAndRemovesTheFinalizer()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("keep", rps: 200));
        await cluster.ApplyAsync(TestServices.Service("drop", rps: 200));
        await cluster.ReadyAsync("keep");
        await cluster.ReadyAsync("drop");

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(MigInferApi.Group, MigInferApi.Version, "ml", InferenceService.Plural, "drop").Within();

        await Timeouts.Eventually(async () => await cluster.GetServiceAsync("drop") is null, "drop is deleted");
        var plan = await cluster.GetPlanAsync();
        Assert.DoesNotContain(plan.Status!.Gpus!.SelectMany(g => g.Slices!), s => s.Service == "ml/drop");
        Assert.DoesNotContain(plan.Status.Services!, s => s.Service == "ml/drop");
        Assert.DoesNotContain(await cluster.PodsAsync(), p => p.Metadata.Labels[WellKnown.ServiceLabel] == "drop");
        await cluster.ReadyAsync("keep");
        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status!.Rollout!.Phase == "Idle", "rollout idle");
        plan = await cluster.GetPlanAsync();
        var label = (await cluster.Client.CoreV1.ReadNodeAsync("gpu-0").Within()).Metadata.Labels[WellKnown.MigConfig];
        var layouts = NodeStates.Layouts(await cluster.MigConfigAsync())[label];
        Assert.All(plan.Status!.Gpus!, g => Assert.Equal(Layout(plan, "gpu-0", g.Index!.Value), layouts[g.Index!.Value]));
    }

    [Fact]
    public async Task DeleteServiceWithoutMigPlan_StillRemovesTheFinalizer()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));
        await cluster.ReadyAsync("resnet");

        await cluster.Client.CustomObjects.DeleteClusterCustomObjectAsync(MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, MigPlan.DefaultName).Within();
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(MigInferApi.Group, MigInferApi.Version, "ml", InferenceService.Plural, "resnet").Within();

        await Timeouts.Eventually(async () => await cluster.GetServiceAsync("resnet") is null, "resnet is deleted");
        await Timeouts.Eventually(async () => (await cluster.PodsAsync()).Count == 0, "its pods are collected");
    }

    [Fact]
    public async Task MigManagerFailsThenSucceeds_WarnsWithConditionAndEventThenConverges()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.Mig.FailNext("gpu-0", 1);

        // Applied before the operator starts, so its first configuration for the node already carries the service.
        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));
        cluster.StartOperator();

        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status?.Conditions?.Any(c => c.Type == "Applied" && c.Reason == "MigReconfigureFailed") == true, "failure condition");
        await Timeouts.Eventually(async () => (await cluster.Client.CoreV1.ListEventForAllNamespacesAsync().Within()).Items.Any(e => e.Reason == "MigReconfigureFailed" && e.Type == "Warning" && e.InvolvedObject.Name == "gpu-0"), "warning event");
        await cluster.ReadyAsync("resnet");
        var node = await cluster.Client.CoreV1.ReadNodeAsync("gpu-0").Within();
        Assert.Equal("1", node.Metadata.Annotations[WellKnown.MigConfigAttemptAnnotation]);
        Assert.EndsWith("-r1", node.Metadata.Labels[WellKnown.MigConfig], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigManagerNeverAnswers_TimesOutAsAFailureAndRetries()
    {
        var plan = TestServices.Plan();
        plan.Spec!.Rollout!.MigConfigTimeoutSeconds = 1;
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log, plan);
        cluster.Mig.IgnoreNext("gpu-0", 1);

        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));
        cluster.StartOperator();

        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status?.Conditions?.Any(c => c.Type == "Applied" && c.Reason == "MigReconfigureFailed" && c.Message.Contains("no success within 1 s", StringComparison.Ordinal)) == true, "timeout reported as failure");
        await cluster.ReadyAsync("resnet");
        Assert.Equal("1", (await cluster.Client.CoreV1.ReadNodeAsync("gpu-0").Within()).Metadata.Annotations[WellKnown.MigConfigAttemptAnnotation]);
    }

    [Fact]
    public async Task OperatorRestartedMidRollout_ConvergesWithoutDuplicatePods()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 2, gpus: 2, _log, migApplyTime: TimeSpan.FromMilliseconds(800));
        var first = cluster.StartOperator("first");
        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 600));
        await Timeouts.Eventually(async () => (await cluster.Client.CoreV1.ListNodeAsync().Within()).Items.Any(n => n.Metadata.Labels.ContainsKey(WellKnown.MigConfig)), "a node is labelled");
        await first.StopAsync();

        cluster.StartOperator("second");
        await cluster.ReadyAsync("resnet");

        var plan = await cluster.GetPlanAsync();
        var slices = plan.Status!.Gpus!.SelectMany(g => g.Slices!).Count(s => s.Service == "ml/resnet");
        var pods = await cluster.PodsAsync();
        Assert.Equal(slices, pods.Count);
        Assert.Equal(pods.Count, pods.Select(p => (p.Metadata.Labels[WellKnown.NodeLabel], p.Metadata.Labels[WellKnown.GpuLabel], p.Metadata.Labels[WellKnown.StartLabel])).Distinct().Count());
    }

    [Fact]
    public async Task DroppedWatchesAndCompaction_LoseNoEvent()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        var running = cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("first", rps: 100));
        await cluster.ReadyAsync("first");

        cluster.Server.Faults.DropWatches();
        cluster.Server.Store.Compact();
        await cluster.ApplyAsync(TestServices.Service("second", rps: 100));
        cluster.Server.Faults.DropWatches();

        await cluster.ReadyAsync("second");
        Assert.Contains("gone", running.Metrics.WatchRestarts.GetAllLabelValues().Select(l => l[1]));
    }

    [Fact]
    public async Task Relayout_WaitsForTerminatingPodsToStopBeforeTheMigManagerRebuildsTheirGpu()
    {
        // One GPU: first takes only 3g slices (3g+3g), so second, which takes only 2g, needs the GPU rebuilt.
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.Kubelet.StopTime = TimeSpan.FromSeconds(1);
        cluster.StartOperator();
        await cluster.ApplyAsync(Only("3g.20gb", TestServices.Service("first", rps: 100)));
        await cluster.ReadyAsync("first");
        var configured = cluster.Mig.Applied.Count;

        await cluster.ApplyAsync(Only("2g.10gb", TestServices.Service("second", rps: 100)));

        await cluster.ReadyAsync("second");
        Assert.True(cluster.Server.RequestCounts.GetValueOrDefault("delete Pod") >= 1, "the new plan drained no pod, so this test shows nothing");
        Assert.True(cluster.Mig.Applied.Count > configured, "the new plan changed no layout, so this test shows nothing");
        Assert.Empty(cluster.Mig.InUse);
    }

    [Fact]
    public async Task EvictedSlicePod_IsReplacedAndTheServiceIsReadyAgain()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));
        await cluster.ReadyAsync("resnet");
        var victim = (await cluster.PodsAsync())[0];

        await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("{\"status\":{\"phase\":\"Failed\",\"reason\":\"Evicted\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}", V1Patch.PatchType.MergePatch),
            victim.Metadata.Name, victim.Metadata.NamespaceProperty).Within();

        await Timeouts.Eventually(async () => (await cluster.PodsAsync()).Any(p => p.Metadata.Name == victim.Metadata.Name && p.Metadata.Uid != victim.Metadata.Uid), "a new pod under the evicted one's name");
        await cluster.ReadyAsync("resnet");
        Assert.DoesNotContain(await cluster.PodsAsync(), p => p.Status?.Phase == "Failed");
        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("ml").Within();
        var ended = Assert.Single(events.Items, e => e.Reason == "SlicePodEnded");
        Assert.Equal(("Warning", "InferenceService", "resnet"), (ended.Type, ended.InvolvedObject.Kind, ended.InvolvedObject.Name));
        Assert.Contains($"{victim.Metadata.Name} ended in phase Failed (Evicted)", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedServerImage_ReplacesEverySlicePod_AndTheServiceIsReadyAgain()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        cluster.StartOperator();
        var resnet = TestServices.Service("resnet", rps: 300);
        resnet.Spec!.Placement = new PlacementSpec { MinSlices = 3 };
        await cluster.ApplyAsync(resnet);
        await cluster.ReadyAsync("resnet");
        var before = await cluster.PodsAsync();
        Assert.True(before.Count >= 3, $"the test needs a service of several slices; got {before.Count}");

        var service = (await cluster.GetServiceAsync("resnet"))!;
        service.Spec!.Server = new ServerSpec { Image = "ghcr.io/miginfer/inference-server:next" };
        await cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<InferenceService>(service, MigInferApi.Group, MigInferApi.Version, "ml", InferenceService.Plural, "resnet").Within();

        await Timeouts.Eventually(async () => (await cluster.PodsAsync()) is { } pods
            && pods.Count == before.Count
            && pods.All(p => p.Metadata.DeletionTimestamp is null && p.Spec.Containers.Single(c => c.Name == "server").Image == "ghcr.io/miginfer/inference-server:next"), "every slice pod on the new image");
        await cluster.ReadyAsync("resnet");
        var after = await cluster.PodsAsync();
        Assert.Equal(before.Select(p => p.Metadata.Name).Order(), after.Select(p => p.Metadata.Name).Order());
        Assert.DoesNotContain(after, p => before.Any(b => b.Metadata.Uid == p.Metadata.Uid));
        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("ml").Within();
        Assert.Equal(before.Count, events.Items.Count(e => e.Reason == "SlicePodReplaced" && e.Type == "Normal"));
    }

    [Fact]
    public async Task SlicePodsThatCrash_SayWhyInTheServicesConditions()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.Kubelet.CrashingImages["registry.example/broken:1"] =
            "2026-11-23T09:05:55.712Z crit: MigInfer.InferenceServer.Model.InferenceEngine[6] Model resnet failed to load; stopping: InvalidDataException: ONNX Runtime cannot load the model: [ErrorCode:InvalidProtobuf] Protobuf parsing failed.\n" +
            "2026-11-23T09:05:55.713Z info: Microsoft.Hosting.Lifetime[0] Application is shutting down...\n";
        cluster.StartOperator();
        var resnet = TestServices.Service("resnet", rps: 100);
        resnet.Spec!.Server = new ServerSpec { Image = "registry.example/broken:1" };

        await cluster.ApplyAsync(resnet);

        // The status written while the operator still waits to see the node's layout applied may already list a
        // crashing pod under PredictorReady, with Ready at RolloutInProgress; once applied, Ready says SlicesNotReady.
        await Timeouts.Eventually(
            async () => (await cluster.GetServiceAsync("resnet"))?.Status?.Conditions is { } conditions
                && conditions.SingleOrDefault(c => c.Type == "PredictorReady")?.Message is { } message
                && message.Contains(": server: CrashLoopBackOff: Model resnet failed to load; stopping: InvalidDataException: ONNX Runtime cannot load the model: [ErrorCode:InvalidProtobuf] Protobuf parsing failed.", StringComparison.Ordinal)
                && conditions.SingleOrDefault(c => c.Type == "Ready") is { Status: "False", Reason: "SlicesNotReady" },
            "PredictorReady names the crash and its reason, and Ready is SlicesNotReady");
    }

    [Theory]
    [InlineData("{\"spec\":{\"unschedulable\":true}}", "NodeCordoned")]
    [InlineData("{\"spec\":{\"taints\":[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\"}]}}", "NodeNotReady")]
    public async Task NodeThatCannotTakeNewPods_LosesItsSlicesToAnotherNode(string patch, string reason)
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 2, gpus: 1, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));
        await cluster.ReadyAsync("resnet");
        var before = (await cluster.PodsAsync()).Select(p => p.Metadata.Labels[WellKnown.NodeLabel]).Distinct().Single();

        await cluster.Client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), before).Within();

        await Timeouts.Eventually(async () => (await cluster.GetPlanAsync()).Status?.ExcludedNodes?.Any(n => n.Node == before && n.Reason == reason) == true, $"the node excluded as {reason}");
        await Timeouts.Eventually(async () => (await cluster.PodsAsync()).Any(p => p.Metadata.Labels[WellKnown.NodeLabel] != before), "a slice pod on the other node");
        await cluster.ReadyAsync("resnet");
        var plan = await cluster.GetPlanAsync();
        Assert.DoesNotContain(plan.Status!.Gpus!, g => g.Node == before && g.Slices!.Any(s => s.Service is not null));
    }

    [Fact]
    public async Task DisruptionBudget_KeepsThePlannedSlicesAvailable_ComesBackWhenDeleted_AndGoesWhenTheMigPlanSaysSo()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 300));
        await cluster.ReadyAsync("resnet");
        var planned = (await cluster.GetPlanAsync()).Status!.Gpus!.Sum(g => g.Slices!.Count(s => s.Service == "ml/resnet"));

        var budget = await cluster.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("resnet-slices", "ml").Within();
        Assert.Equal(planned.ToString(System.Globalization.CultureInfo.InvariantCulture), budget.Spec.MinAvailable!.Value);
        var pods = await cluster.PodsAsync();
        Assert.All(pods, p => Assert.All(budget.Spec.Selector.MatchLabels, kv => Assert.Equal(kv.Value, p.Metadata.Labels[kv.Key])));
        Assert.Equal("resnet", Assert.Single(budget.Metadata.OwnerReferences).Name);

        await cluster.Client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync("resnet-slices", "ml").Within();
        await Timeouts.Eventually(async () => (await cluster.Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync("ml").Within()).Items.Any(b => b.Metadata.Name == "resnet-slices"), "the budget recreated");

        await cluster.Client.CustomObjects.PatchClusterCustomObjectAsync<MigPlan>(
            new V1Patch("{\"spec\":{\"rollout\":{\"disruptionBudgets\":false}}}", V1Patch.PatchType.MergePatch),
            MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, MigPlan.DefaultName).Within();
        await Timeouts.Eventually(async () => (await cluster.Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync("ml").Within()).Items.Count == 0, "the budget deleted");
    }

    [Fact]
    public async Task ConflictingWrites_AreRetried()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.Server.Faults.FailNext(2, 409, r => r.Verb == "update" && r.Kind.Kind == "InferenceService");
        cluster.Server.Faults.FailNext(1, 409, r => r.Verb == "update" && r.Kind.Kind == "MigPlan");
        var running = cluster.StartOperator();

        await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));

        await cluster.ReadyAsync("resnet");
        Assert.True(running.Metrics.ReconcileErrors.WithLabels(InferenceService.KindName).Value + running.Metrics.ReconcileErrors.WithLabels(MigPlan.KindName).Value >= 1);
    }

    [Fact]
    public async Task SpecProblem_SetsReadyFalseNamingTheFieldWithoutHotRetry()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        cluster.StartOperator();
        await cluster.ApplyAsync(TestServices.Service("good", rps: 100));
        await cluster.ApplyAsync(TestServices.Service("bad", rps: 100, product: "Tesla-T4"));

        await Timeouts.Eventually(async () => (await cluster.GetServiceAsync("bad"))?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Reason == "InvalidSpec") == true, "bad is InvalidSpec");
        await cluster.ReadyAsync("good");
        var ready = (await cluster.GetServiceAsync("bad"))!.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Contains("spec.profile.gpuProduct", ready.Message, StringComparison.Ordinal);

        var writes = cluster.Server.RequestCounts.GetValueOrDefault("update InferenceService");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(writes, cluster.Server.RequestCounts.GetValueOrDefault("update InferenceService"));
        Assert.DoesNotContain(await cluster.PodsAsync(), p => p.Metadata.Labels[WellKnown.ServiceLabel] == "bad");
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaderPlans_AndTheStandbyTakesOver()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 2, _log);
        var a = cluster.StartOperator("replica-a", leaderElection: true);
        var b = cluster.StartOperator("replica-b", leaderElection: true);
        await cluster.ApplyAsync(TestServices.Service("first", rps: 100));
        await cluster.ReadyAsync("first");

        Assert.True(a.Host.Leading ^ b.Host.Leading);
        var (leader, standby) = a.Host.Leading ? (a, b) : (b, a);
        Assert.True(leader.Metrics.Plans.Value >= 1);
        Assert.Equal(0, standby.Metrics.Plans.Value);

        await leader.StopAsync();
        await cluster.ApplyAsync(TestServices.Service("second", rps: 100));
        await cluster.ReadyAsync("second");
        Assert.True(standby.Host.Leading);
        Assert.True(standby.Metrics.Plans.Value >= 1);
    }

    [Fact]
    public async Task LeaderStopsGracefully_ReleasesTheLeaseAndTheStandbyLeadsWellBeforeItExpires()
    {
        var leaseDuration = TimeSpan.FromSeconds(10);
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1, _log);
        var a = cluster.StartOperator("replica-a", leaderElection: true, leaseDuration);
        var b = cluster.StartOperator("replica-b", leaderElection: true, leaseDuration);
        await Timeouts.Eventually(() => Task.FromResult(a.Host.Leading || b.Host.Leading), "a leader");
        var (leader, standby) = a.Host.Leading ? (a, b) : (b, a);

        var stopped = Stopwatch.StartNew();
        await leader.StopAsync();
        await Timeouts.Eventually(() => Task.FromResult(standby.Host.Leading), "the standby leads");

        Assert.True(stopped.Elapsed < leaseDuration / 2, $"took over after {stopped.Elapsed.TotalSeconds:0.0} s of a {leaseDuration.TotalSeconds} s Lease");
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("miginfer-operator", "miginfer-system").Within();
        Assert.Equal(standby == a ? "replica-a" : "replica-b", lease.Spec.HolderIdentity);
        await cluster.ApplyAsync(TestServices.Service("after", rps: 100));
        await cluster.ReadyAsync("after");
    }

    private static string Owners(MigPlan plan) =>
        string.Join(" | ", plan.Status!.Gpus!.Select(g => string.Join(' ', g.Slices!.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start}={s.Service}"))));

    private static string? Layout(MigPlan plan, string node, int gpu) =>
        plan.Status!.Gpus!.FirstOrDefault(g => g.Node == node && g.Index == gpu) is { } g ? string.Join(' ', g.Slices!.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start}")) : null;

    private static InferenceService Only(string profile, InferenceService service)
    {
        service.Spec!.Placement = new PlacementSpec { AllowedProfiles = [profile] };
        return service;
    }
}
