using System.Collections.Immutable;
using k8s.Models;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Reconcilers;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Tests.Cluster;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Tests.Reconcilers;

public sealed class ServiceStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The plan was made for generation 3 of the service.</summary>
    private static readonly ImmutableDictionary<string, long> Seen = ImmutableDictionary<string, long>.Empty.Add("ml/resnet", 3);

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // scenario, Ready status, Ready reason, PartitionPlanned reason, PredictorReady reason
        { "no plan", "Unknown", "AwaitingPlan", "AwaitingPlan", "NoSlices" },
        { "spec problem", "False", "InvalidSpec", "InvalidSpec", "NoSlices" },
        { "planner says unattainable", "False", "SloUnattainable", "SloUnattainable", "NoSlices" },
        { "planned, node not converged", "False", "RolloutInProgress", "Planned", "SlicesNotReady" },
        { "applied, pod not ready", "False", "SlicesNotReady", "Planned", "SlicesNotReady" },
        { "plan older than the spec", "Unknown", "Replanning", "Replanning", "SlicesReady" },
        { "all ready", "True", "Ready", "Planned", "SlicesReady" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conditions_FollowTheWorld(string scenario, string readyStatus, string readyReason, string plannedReason, string predictorReason)
    {
        var service = TestServices.Service("resnet", 100);
        service.Metadata.Generation = 3;
        var (problem, snapshot, pods) = World(scenario);

        var status = ServiceStatusBuilder.Build(service, problem, snapshot, pods, "cluster.local", Now);

        var ready = status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(readyStatus, ready.Status);
        Assert.Equal(readyReason, ready.Reason);
        Assert.Equal(plannedReason, status.Conditions!.Single(c => c.Type == "PartitionPlanned").Reason);
        Assert.Equal(predictorReason, status.Conditions!.Single(c => c.Type == "PredictorReady").Reason);
        Assert.All(status.Conditions!, c => Assert.Equal(3, c.ObservedGeneration));
        Assert.Equal("resnet.ml.svc.cluster.local:8001", status.GrpcUrl);
    }

    [Fact]
    public void UnchangedStatus_KeepsTransitionTime_FlippedStatus_MovesIt()
    {
        var service = TestServices.Service("resnet", 100);
        service.Metadata.Generation = 3;
        var (_, snapshot, pods) = World("all ready");
        service.Status = ServiceStatusBuilder.Build(service, null, snapshot, pods, "cluster.local", Now);

        var same = ServiceStatusBuilder.Build(service, null, snapshot, pods, "cluster.local", Now.AddMinutes(5));
        var flipped = ServiceStatusBuilder.Build(service, null, snapshot, [], "cluster.local", Now.AddMinutes(5));

        Assert.Equal(Now.UtcDateTime, same.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(Now.AddMinutes(5).UtcDateTime, flipped.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(Now.UtcDateTime, flipped.Conditions!.Single(c => c.Type == "PartitionPlanned").LastTransitionTime);
    }

    [Fact]
    public void SlicePodThatCrashes_SaysWhyInPredictorReady()
    {
        var service = TestServices.Service("resnet", 100);
        service.Metadata.Generation = 3;
        var (_, snapshot, pods) = World("applied, pod not ready");
        pods[1].Status.ContainerStatuses =
        [
            PodTroubleTests.Status("server", waiting: new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" }, last: PodTroubleTests.Terminated(1, "2026-11-23T09:05:55.712Z crit: MigInfer.InferenceServer.Model.InferenceEngine[6] Model resnet failed to load; stopping: FileNotFoundException: model file '/mnt/models/resnet.onnx' does not exist\n")),
        ];

        var status = ServiceStatusBuilder.Build(service, null, snapshot, pods, "cluster.local", Now);

        Assert.Equal(
            $"1 of 2 slices ready; pod {pods[1].Metadata.Name}: server: CrashLoopBackOff: Model resnet failed to load; stopping: FileNotFoundException: model file '/mnt/models/resnet.onnx' does not exist",
            status.Conditions!.Single(c => c.Type == "PredictorReady").Message);
        Assert.Equal(status.Conditions!.Single(c => c.Type == "PredictorReady").Message, status.Conditions!.Single(c => c.Type == "Ready").Message);
    }

    private static (string? Problem, PlanSnapshot Snapshot, List<V1Pod> Pods) World(string scenario)
    {
        var planned = Plan([new PlacedSlice("3g.20gb", 0, "ml/resnet"), new PlacedSlice("1g.5gb", 4, "ml/resnet")], []);
        var pods = new List<V1Pod> { Pod(0, ready: true), Pod(4, ready: scenario != "applied, pod not ready") };
        return scenario switch
        {
            "no plan" => (null, PlanSnapshot.Empty, []),
            "spec problem" => ("spec.profile.gpuProduct = Tesla-T4 is not a known GPU product", PlanSnapshot.Empty, []),
            "planner says unattainable" => (null, new PlanSnapshot(Plan([], [new UnmetService("ml/resnet", UnmetReason.SloUnattainable, "spec.slo.latencyMs", "too tight", 100)]), Seen, []), []),
            "planned, node not converged" => (null, new PlanSnapshot(planned, Seen, []), []),
            "plan older than the spec" => (null, new PlanSnapshot(planned, Seen.SetItem("ml/resnet", 2), ImmutableHashSet.Create(StringComparer.Ordinal, "gpu-0")), pods),
            _ => (null, new PlanSnapshot(planned, Seen, ImmutableHashSet.Create(StringComparer.Ordinal, "gpu-0")), pods),
        };
    }

    private static MigPlanResult Plan(ImmutableArray<PlacedSlice> slices, ImmutableArray<UnmetService> unmet) => new()
    {
        Planner = "test",
        Status = "Optimal",
        Gpus = [new PlannedGpu("gpu-0", 0, TestServices.Product, slices)],
        Services = slices.IsEmpty ? [] : [new ServicePlan("ml/resnet", ImmutableSortedDictionary<string, int>.Empty.Add("1g.5gb", 1).Add("3g.20gb", 1), 250, 100, 12, false)],
        Unmet = unmet,
        Diff = new PlanDiff([], 0, 0),
    };

    private static V1Pod Pod(int start, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = Names.SlicePod("resnet", "gpu-0", 0, start), NamespaceProperty = "ml" },
        Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };
}
