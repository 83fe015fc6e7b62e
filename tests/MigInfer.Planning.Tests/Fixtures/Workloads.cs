using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests.Fixtures;

/// <summary>Small, readable planning inputs shared by the planner tests.</summary>
internal static class Workloads
{
    public const string A100 = "NVIDIA-A100-SXM4-40GB";

    /// <summary>
    /// A ResNet-like table on A100-40GB: small slices are slow for large batches, large slices
    /// waste throughput on batch 1 (shape after PARIS's observations; numbers illustrative).
    /// </summary>
    public static LatencyTable ResNetLike(double scale = 1.0) => new(A100,
    [
        .. Points("1g.5gb", scale * 1.0, [(1, 6.0), (2, 9.0), (4, 15.0), (8, 28.0), (16, 54.0), (32, 106.0)]),
        .. Points("2g.10gb", scale * 1.0, [(1, 4.0), (2, 5.5), (4, 8.5), (8, 15.0), (16, 28.0), (32, 54.0)]),
        .. Points("3g.20gb", scale * 1.0, [(1, 3.5), (2, 4.5), (4, 6.5), (8, 10.5), (16, 19.0), (32, 36.0)]),
        .. Points("4g.20gb", scale * 1.0, [(1, 3.3), (2, 4.1), (4, 5.6), (8, 8.6), (16, 15.0), (32, 28.0)]),
        .. Points("7g.40gb", scale * 1.0, [(1, 3.0), (2, 3.4), (4, 4.2), (8, 5.8), (16, 9.2), (32, 16.5)]),
    ]);

    public static ServiceDemand Service(string name, double rps, double sloMs, (int Size, double Weight)[] sizes, LatencyTable? table = null, int maxBatch = 32) => new()
    {
        Name = name,
        SloMs = sloMs,
        RequestsPerSecond = rps,
        Sizes = [.. sizes.Select(s => new SizeClass(s.Size, s.Weight / sizes.Sum(x => x.Weight)))],
        Latencies = [table ?? ResNetLike()],
        MaxBatchSize = maxBatch,
        MemoryMiB = 1800,
    };

    public static ClusterInventory Cluster(params (string Name, int Gpus)[] nodes) =>
        new([.. nodes.Select(n => new NodeInventory { Name = n.Name, GpuProduct = A100, GpuCount = n.Gpus })]);

    public static PlanningProblem Problem(ClusterInventory cluster, params ServiceDemand[] services) =>
        new(cluster, [.. services], new PlanningPolicy { TimeLimit = TimeSpan.FromSeconds(10), Workers = 1 });

    private static IEnumerable<LatencyPoint> Points(string profile, double scale, (int Batch, double Ms)[] points) =>
        points.Select(p => new LatencyPoint(profile, p.Batch, p.Ms * scale));
}
