using MigInfer.Planning.Model;

namespace MigInfer.Planning.Bench;

/// <summary>
/// Synthetic A100-40GB services. Latency tables follow a simple roofline-like shape (an estimate,
/// not a measurement): lat(g, b) = t0 + w·b / min(g, 1 + b/k), where g is the slice's compute
/// slices, w the per-sample work on one compute slice and k the samples needed to keep one more
/// compute slice busy, so small batches cannot fill large slices. Each service gets a random speed
/// factor (0.6 to 1.6) and SLO.
/// </summary>
internal sealed class SyntheticWorkload() : Workload("NVIDIA-A100-SXM4-40GB")
{
    private static readonly (string Name, double T0, double W, double K, int MaxBatch, double SloMs, int MemoryMiB)[] Families =
    [
        ("resnet", 1.5, 3.0, 2, 32, 60, 1800),
        ("mobilenet", 1.0, 0.6, 8, 32, 30, 600),
        ("bert", 2.0, 6.0, 1, 16, 120, 1400),
    ];

    private static readonly int[] Batches = [1, 2, 4, 8, 16, 32];

    private static readonly string[] Profiles = ["1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"];

    public override string Description => "synthetic roofline-shaped latencies on A100-40GB";

    protected override ServiceDemand Service(int index, Random random, Func<int, SizeClass[]> sizes)
    {
        var family = Families[index % Families.Length];
        var scale = 0.6 + random.NextDouble();
        var (t0, w) = (family.T0 * scale, family.W * scale);
        var classes = sizes(family.MaxBatch);
        return new ServiceDemand
        {
            Name = $"bench/{family.Name}-{index:D3}",
            SloMs = Math.Round(Math.Max(family.SloMs * (0.8 + (0.7 * random.NextDouble())), 2.5 * Latency(t0, w, family.K, 7, family.MaxBatch)), 1),
            RequestsPerSecond = 1,
            Sizes = [.. classes],
            Latencies = [Table(t0, w, family.K, family.MaxBatch)],
            MaxBatchSize = family.MaxBatch,
            MemoryMiB = family.MemoryMiB,
        };
    }

    private LatencyTable Table(double t0, double w, double k, int maxBatch) =>
        new(Product,
        [
            .. from profile in Profiles
               let g = profile[0] - '0'
               from b in Batches.Where(b => b <= maxBatch)
               select new LatencyPoint(profile, b, Math.Round(Latency(t0, w, k, g, b), 3)),
        ], ProfileSource.Estimated);

    private static double Latency(double t0, double w, double k, int g, int b) => t0 + (w * b / Math.Min(g, 1 + (b / k)));
}
