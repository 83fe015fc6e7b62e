using k8s.Models;
using MigInfer.Operator.Reconcilers;

namespace MigInfer.Operator.Tests.Reconcilers;

public sealed class PodTroubleTests
{
    private const string LogTail = """
        2026-11-23T09:05:54.847Z info: MigInfer.InferenceServer.Model.InferenceEngine[2] Model resnet50 version 1 fetched to /mnt/models/resnet50.onnx (8 bytes, sha256 233d)
        2026-11-23T09:05:55.712Z crit: MigInfer.InferenceServer.Model.InferenceEngine[6] Model resnet50 failed to load; stopping: InvalidDataException: ONNX Runtime cannot load the model: [ErrorCode:InvalidProtobuf] Protobuf parsing failed.
        2026-11-23T09:05:55.713Z info: Microsoft.Hosting.Lifetime[0] Application is shutting down...

        """;

    [Fact]
    public void CrashLooping_SaysWhyFromTheServersCriticalLine()
    {
        var pod = Pod(server: Status("server", waiting: new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = "back-off 40s restarting failed container" }, last: Terminated(1, LogTail)));

        Assert.Equal("server: CrashLoopBackOff: Model resnet50 failed to load; stopping: InvalidDataException: ONNX Runtime cannot load the model: [ErrorCode:InvalidProtobuf] Protobuf parsing failed.", PodTrouble.Of(pod));
    }

    [Fact]
    public void ImagePullOfTheModelFetcher_IsNamedBeforeTheServer()
    {
        var pod = Pod(
            server: Status("server", waiting: new V1ContainerStateWaiting { Reason = "PodInitializing" }),
            init: Status("fetch-model", waiting: new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = "Back-off pulling image \"kserve/storage-initializer:v0\"" }));

        Assert.Equal("fetch-model: ImagePullBackOff: Back-off pulling image \"kserve/storage-initializer:v0\"", PodTrouble.Of(pod));
    }

    [Fact]
    public void ExitedWithAPlainMessage_ShowsItsLastLine()
    {
        var pod = Pod(server: Status("server", terminated: Terminated(2, "--slo-percentile (MIGINFER_SLO_PERCENTILE) is '100' but must be a percentage from 50 to 99.99\n")));

        Assert.Equal("server: exited with code 2: --slo-percentile (MIGINFER_SLO_PERCENTILE) is '100' but must be a percentage from 50 to 99.99", PodTrouble.Of(pod));
    }

    [Fact]
    public void UnschedulableOrRefusedByTheKubelet_SaysSo()
    {
        var pending = new V1Pod
        {
            Status = new V1PodStatus
            {
                Phase = "Pending",
                Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 1 Insufficient nvidia.com/mig-1g.5gb." }],
            },
        };
        var refused = new V1Pod { Status = new V1PodStatus { Phase = "Failed", Reason = "OutOfnvidia.com/mig-1g.5gb", Message = "Pod was rejected: Node didn't have enough resource: nvidia.com/mig-1g.5gb" } };

        Assert.Equal("Unschedulable: 0/3 nodes are available: 1 Insufficient nvidia.com/mig-1g.5gb.", PodTrouble.Of(pending));
        Assert.Equal("OutOfnvidia.com/mig-1g.5gb: Pod was rejected: Node didn't have enough resource: nvidia.com/mig-1g.5gb", PodTrouble.Of(refused));
    }

    [Fact]
    public void StartingRunningOrNoStatus_IsNoTrouble()
    {
        Assert.Null(PodTrouble.Of(Pod(server: Status("server", waiting: new V1ContainerStateWaiting { Reason = "ContainerCreating" }))));
        Assert.Null(PodTrouble.Of(Pod(server: Status("server"))));
        Assert.Null(PodTrouble.Of(new V1Pod()));
    }

    [Fact]
    public void LongReason_IsClipped()
    {
        var pod = Pod(server: Status("server", terminated: Terminated(1, new string('x', 5000))));

        var trouble = PodTrouble.Of(pod)!;

        Assert.Equal(400, trouble.Length);
        Assert.EndsWith("x…", trouble, StringComparison.Ordinal);
    }

    internal static V1ContainerStateTerminated Terminated(int exitCode, string message) => new() { ExitCode = exitCode, Reason = "Error", Message = message };

    internal static V1ContainerStatus Status(string name, V1ContainerStateWaiting? waiting = null, V1ContainerStateTerminated? terminated = null, V1ContainerStateTerminated? last = null) => new()
    {
        Name = name,
        State = new V1ContainerState
        {
            Waiting = waiting,
            Terminated = terminated,
            Running = waiting is null && terminated is null ? new V1ContainerStateRunning() : null,
        },
        LastState = last is null ? null : new V1ContainerState { Terminated = last },
    };

    private static V1Pod Pod(V1ContainerStatus server, V1ContainerStatus? init = null) => new()
    {
        Status = new V1PodStatus { ContainerStatuses = [server], InitContainerStatuses = init is null ? null : [init] },
    };
}
