using k8s.Models;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;

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

    [Theory]
    [InlineData(true, 100, 7.5)]
    [InlineData(true, 99, 5)]
    [InlineData(false, 5000, 5)]
    public void ObservedProfile_ReplacesTheSpecsPointOnlyWhenEnabledWithEnoughSamples(bool enabled, long samples, double expectedMs)
    {
        var service = Service("NVIDIA-A100-SXM4-40GB");
        service.Status = new InferenceServiceStatus
        {
            ObservedProfile =
            [
                new() { Profile = "1g.5gb", Batch = 1, Ms = 7.5, Samples = samples, Slices = 2 },
                new() { Profile = "3g.20gb", Batch = 1, Ms = 1, Samples = 5000, Slices = 1 },
            ],
        };

        var (demand, _) = ServiceDemands.Convert(service, GpuCatalog.Default, enabled);

        var table = Assert.Single(demand!.Latencies);
        Assert.Equal(expectedMs, table.Milliseconds("1g.5gb", 1));
        Assert.Equal(20, table.Milliseconds("1g.5gb", 8));
        Assert.False(table.Has("3g.20gb"));
    }

    [Fact]
    public void ObservedProfile_AlsoReplacesPointsOfATableFromAProfileRef()
    {
        var service = Service("NVIDIA-A100-SXM4-40GB");
        service.Spec!.Profile = new ProfileSpec { ProfileRef = new ProfileRefSpec { ConfigMap = "resnet50-profile" } };
        service.Status = new InferenceServiceStatus { ObservedProfile = [new() { Profile = "1g.5gb", Batch = 1, Ms = 7.5, Samples = 500, Slices = 1 }] };
        var maps = new ConfigMapSet();
        maps.Add("vision", "resnet50-profile", new Dictionary<string, string>
        {
            ["profile.yaml"] = "gpuProduct: NVIDIA-A100-SXM4-40GB\nlatencies: [ {profile: 1g.5gb, batch: 1, ms: 5}, {profile: 1g.5gb, batch: 8, ms: 20} ]\n",
        });

        var (demand, problem) = ServiceDemands.Convert(service, GpuCatalog.Default, useObservedProfile: true, maps);

        Assert.Null(problem);
        Assert.Equal(7.5, Assert.Single(demand!.Latencies).Milliseconds("1g.5gb", 1));
    }

    [Fact]
    public void ObservedProfile_LeavesARooflineEstimateAlone()
    {
        var service = Service("NVIDIA-A100-SXM4-40GB");
        service.Spec!.Profile = new ProfileSpec { Estimate = new EstimateSpec { GflopsPerSample = 8.2, WeightMiB = 49 } };
        service.Status = new InferenceServiceStatus { ObservedProfile = [new() { Profile = "1g.5gb", Batch = 1, Ms = 75, Samples = 500, Slices = 1 }] };

        var (off, _) = ServiceDemands.Convert(service, GpuCatalog.Default);
        var (on, _) = ServiceDemands.Convert(service, GpuCatalog.Default, useObservedProfile: true);

        Assert.Equal(off!.Latencies.Length, on!.Latencies.Length);
        Assert.All(off.Latencies.Zip(on.Latencies), t => Assert.Equal(t.First.Points, t.Second.Points));
        Assert.NotEqual(75, on.Latencies.Single(t => t.GpuProduct == "NVIDIA-A100-SXM4-40GB").Milliseconds("1g.5gb", 1));
    }

    [Fact]
    public void ObservedProfile_ChangesThePlanInputsOnlyWhenThePlannerUsesIt()
    {
        var policy = PlanningPolicies.Planner(null);
        var service = Service("NVIDIA-A100-SXM4-40GB");
        var before = (Off: PlanInputs.Fingerprint(policy, [service], []), On: PlanInputs.Fingerprint(policy, [service], [], useObservedProfile: true));

        service.Status = new InferenceServiceStatus { ObservedProfile = [new() { Profile = "1g.5gb", Batch = 1, Ms = 7.5, Samples = 500, Slices = 1 }] };

        Assert.Equal(before.Off, PlanInputs.Fingerprint(policy, [service], []));
        Assert.NotEqual(before.On, PlanInputs.Fingerprint(policy, [service], [], useObservedProfile: true));
        Assert.NotEqual(before.Off, before.On);
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
