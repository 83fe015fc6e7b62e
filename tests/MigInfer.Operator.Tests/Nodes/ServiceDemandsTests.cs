using k8s.Models;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Catalog;

namespace MigInfer.Operator.Tests.Nodes;

public sealed class ServiceDemandsTests
{
    [Fact]
    public void ValidSpec_BecomesTheSameDemandTheCliReads()
    {
        var (demand, problem) = ServiceDemands.Convert(Service("NVIDIA-A100-SXM4-40GB"), GpuCatalog.Default);

        Assert.Null(problem);
        Assert.Equal("vision/resnet50", demand!.Name);
        Assert.Equal(50, demand.SloMs);
        Assert.Equal(2, demand.Sizes.Length);
        Assert.Equal(0.75, demand.Sizes[0].Weight, 6);
    }

    [Fact]
    public void UnknownGpuProduct_IsASpecProblemNamingTheField()
    {
        var (demand, problem) = ServiceDemands.Convert(Service("Tesla-T4"), GpuCatalog.Default);

        Assert.Null(demand);
        Assert.StartsWith("spec.profile.gpuProduct = Tesla-T4", problem, StringComparison.Ordinal);
    }

    private static InferenceService Service(string product) => new()
    {
        Metadata = new V1ObjectMeta { Name = "resnet50", NamespaceProperty = "vision" },
        Spec = new InferenceServiceSpec
        {
            Model = new ModelSpec { StorageUri = "pvc://models/resnet50.onnx", MaxBatchSize = 8 },
            Slo = new SloSpec { LatencyMs = 50 },
            Traffic = new TrafficSpec { RequestsPerSecond = 100, BatchSizes = [new() { Size = 1, Weight = 3 }, new() { Size = 8, Weight = 1 }] },
            Profile = new ProfileSpec { GpuProduct = product, Latencies = [new() { Profile = "1g.5gb", Batch = 1, Ms = 5 }, new() { Profile = "1g.5gb", Batch = 8, Ms = 20 }] },
        },
    };
}
