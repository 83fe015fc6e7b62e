using k8s.Models;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>InferenceServices and GPU nodes for the cluster tests.</summary>
internal static class TestServices
{
    public const string Product = "NVIDIA-A100-SXM4-40GB";

    public static InferenceService Service(string name, double rps, string ns = "ml", string product = Product) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new InferenceServiceSpec
        {
            Model = new ModelSpec { StorageUri = $"pvc://models/{name}.onnx", MaxBatchSize = 8 },
            Slo = new SloSpec { LatencyMs = 50 },
            Traffic = new TrafficSpec { RequestsPerSecond = rps, BatchSizes = [new() { Size = 1, Weight = 3 }, new() { Size = 8, Weight = 1 }] },
            Profile = new ProfileSpec
            {
                GpuProduct = product,
                Latencies =
                [
                    new() { Profile = "1g.5gb", Batch = 1, Ms = 5 }, new() { Profile = "1g.5gb", Batch = 8, Ms = 20 },
                    new() { Profile = "2g.10gb", Batch = 1, Ms = 3 }, new() { Profile = "2g.10gb", Batch = 8, Ms = 11 },
                    new() { Profile = "3g.20gb", Batch = 1, Ms = 2.5 }, new() { Profile = "3g.20gb", Batch = 8, Ms = 8 },
                    new() { Profile = "7g.40gb", Batch = 1, Ms = 2 }, new() { Profile = "7g.40gb", Batch = 8, Ms = 4 },
                ],
            },
        },
    };

    public static V1Node GpuNode(string name, int gpus) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                [WellKnown.GpuProduct] = Product,
                [WellKnown.GpuCount] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [WellKnown.MigCapable] = "true",
                [WellKnown.MigStrategy] = "mixed",
            },
        },
    };

    public static MigPlan Plan(int maxGpusInFlight = 64) => new()
    {
        Metadata = new V1ObjectMeta { Name = MigPlan.DefaultName },
        Spec = new MigPlanSpec
        {
            SolveTimeLimitSeconds = 5,
            DebounceSeconds = 0.05,
            RelativeGapLimit = 0.05,
            Rollout = new RolloutPolicySpec { MaxGpusInFlight = maxGpusInFlight, MigConfigTimeoutSeconds = 30, RetryBackoffSeconds = 1 },
        },
    };
}
