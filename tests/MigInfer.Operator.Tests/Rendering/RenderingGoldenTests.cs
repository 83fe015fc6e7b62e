using k8s;
using k8s.Models;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Rollout;
using MigInfer.Operator.Tests.Fixtures;

namespace MigInfer.Operator.Tests.Rendering;

public sealed class RenderingGoldenTests
{
    private static readonly OperatorOptions Options = new() { ServerImage = "ghcr.io/miginfer/inference-server:test", StorageInitializerImage = "kserve/storage-initializer:test" };

    [Theory]
    [InlineData("pvc://models/vision/resnet50.onnx", "pod-pvc.json")]
    [InlineData("https://models.example.com/resnet50.onnx", "pod-https.json")]
    public void SlicePod_MatchesGolden(string storageUri, string golden)
    {
        var pod = SlicePodRenderer.Render(Service(storageUri), new SliceAssignment("gpu-node-1", 2, 4, "3g.20gb"), Options);

        Golden.Match(golden, Json(pod));
    }

    [Fact]
    public void Services_MatchGolden()
    {
        var service = Service("pvc://models/resnet50.onnx");

        Golden.Match("service-client.json", Json(ServiceRenderer.Client(service)));
        Golden.Match("service-peers.json", Json(ServiceRenderer.Peers(service)));
    }

    [Fact]
    public void DisruptionBudget_MatchesGolden()
    {
        Golden.Match("pdb.json", Json(DisruptionBudgetRenderer.Render(Service("pvc://models/resnet50.onnx"), minAvailable: 3)));
    }

    [Fact]
    public void MigPartedConfig_MatchesGolden()
    {
        var configs = new Dictionary<string, IReadOnlyDictionary<int, string>>
        {
            ["miginfer-gpu-node-1-abc"] = new Dictionary<int, string> { [1] = "7g.40gb@0", [0] = "1g.5gb@6 3g.20gb@0 2g.10gb@4" },
            ["miginfer-gpu-node-2-def"] = new Dictionary<int, string> { [0] = "", [1] = "1g.5gb@0 1g.5gb@1 1g.5gb@2 1g.5gb@3 3g.20gb@4" },
        };

        Golden.Match("mig-parted-config.yaml", MigPartedConfig.Render(configs));
    }

    [Fact]
    public void SlicePod_RequestsExactlyOneSliceAndRunsLockedDown()
    {
        var pod = SlicePodRenderer.Render(Service("pvc://models/resnet50.onnx"), new SliceAssignment("n", 0, 0, "1g.5gb+me"), Options);
        var server = Assert.Single(pod.Spec.Containers);

        Assert.Equal("1", server.Resources.Limits["nvidia.com/mig-1g.5gb.me"].ToString());
        Assert.True(server.SecurityContext.ReadOnlyRootFilesystem);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal(8001, server.ReadinessProbe.Grpc.Port);
        Assert.Equal("n", pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchFields[0].Values[0]);
        Assert.Equal("uid-1", Assert.Single(pod.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public void SpecHash_FollowsThePodSpec_NotTheOrderOfResources()
    {
        var slice = new SliceAssignment("n", 0, 0, "3g.20gb");
        var service = Service("pvc://models/resnet50.onnx");
        var reordered = Service("pvc://models/resnet50.onnx");
        reordered.Spec!.Server!.Resources!.Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("4Gi"), ["cpu"] = new("2") };
        var newModel = Service("pvc://models/resnet50-v2.onnx");
        var newSlo = Service("pvc://models/resnet50.onnx");
        newSlo.Spec!.Slo!.LatencyMs = 40;

        var hash = SlicePodRenderer.SpecHash(service, slice, Options);

        Assert.Equal(hash, SlicePodRenderer.Render(service, slice, Options).Metadata.Annotations[WellKnown.PodSpecHashAnnotation]);
        Assert.Equal(hash, SlicePodRenderer.SpecHash(reordered, slice, Options));
        Assert.NotEqual(hash, SlicePodRenderer.SpecHash(newModel, slice, Options));
        Assert.NotEqual(hash, SlicePodRenderer.SpecHash(newSlo, slice, Options));
        Assert.NotEqual(hash, SlicePodRenderer.SpecHash(service, slice, Options with { ServerImage = "ghcr.io/miginfer/inference-server:next" }));
    }

    [Fact]
    public void MaxDims_ReachTheServerInNameOrder_AndAChangedLimitReplacesThePod()
    {
        var slice = new SliceAssignment("n", 0, 0, "3g.20gb");
        var service = Service("pvc://models/bert.onnx");
        service.Spec!.Model!.MaxDims = new Dictionary<string, long> { ["sequence"] = 512, ["frames"] = 30 };
        var reordered = Service("pvc://models/bert.onnx");
        reordered.Spec!.Model!.MaxDims = new Dictionary<string, long> { ["frames"] = 30, ["sequence"] = 512 };
        var shorter = Service("pvc://models/bert.onnx");
        shorter.Spec!.Model!.MaxDims = new Dictionary<string, long> { ["frames"] = 30, ["sequence"] = 128 };

        var env = Assert.Single(SlicePodRenderer.Render(service, slice, Options).Spec.Containers).Env;

        Assert.Equal("frames=30,sequence=512", Assert.Single(env, e => e.Name == "MIGINFER_MAX_DIMS").Value);
        Assert.Equal(SlicePodRenderer.SpecHash(service, slice, Options), SlicePodRenderer.SpecHash(reordered, slice, Options));
        Assert.NotEqual(SlicePodRenderer.SpecHash(service, slice, Options), SlicePodRenderer.SpecHash(shorter, slice, Options));
        Assert.DoesNotContain(Assert.Single(SlicePodRenderer.Render(Service("pvc://models/bert.onnx"), slice, Options).Spec.Containers).Env, e => e.Name == "MIGINFER_MAX_DIMS");
    }

    private static string Json(object obj) =>
        System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(obj))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static InferenceService Service(string storageUri) => new()
    {
        Metadata = new V1ObjectMeta { Name = "resnet50", NamespaceProperty = "vision", Uid = "uid-1" },
        Spec = new InferenceServiceSpec
        {
            Model = new ModelSpec { StorageUri = storageUri, MaxBatchSize = 32 },
            Slo = new SloSpec { LatencyMs = 50, Percentile = 99.9 },
            Batching = new BatchingSpec { MaxQueueDelayMicroseconds = 2000, PreferredBatchSizes = [8, 32], MaxQueueSize = 256 },
            Placement = new PlacementSpec { Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }] },
            Server = new ServerSpec { Resources = new ServerResources { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("4Gi") } } },
        },
    };
}
