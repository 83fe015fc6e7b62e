using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Bench;

/// <summary>
/// Synthetic clusters and services with a fixed seed. Latency tables follow a simple roofline-like
/// shape (an estimate, not a measurement): lat(g, b) = t0 + w·b / min(g, 1 + b/k), where g is the
/// slice's compute slices, w the per-sample work on one compute slice and k the samples needed to
/// keep one more compute slice busy, so small batches cannot fill large slices.
/// </summary>
internal static class SyntheticWorkloads
{
    public const string Product = "NVIDIA-A100-SXM4-40GB";

    /// <summary>The seed of the published tables; the quality benchmark takes others to show the spread.</summary>
    public const int Seed = 20221;

    private static readonly (string Name, double T0, double W, double K, int MaxBatch, double SloMs, int MemoryMiB)[] Families =
    [
        ("resnet", 1.5, 3.0, 2, 32, 60, 1800),
        ("mobilenet", 1.0, 0.6, 8, 32, 30, 600),
        ("bert", 2.0, 6.0, 1, 16, 120, 1400),
    ];

    private static readonly int[] Batches = [1, 2, 4, 8, 16, 32];

    private static readonly string[] Profiles = ["1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"];

    /// <summary>Nodes of 8 GPUs (the last may hold fewer).</summary>
    public static ClusterInventory Cluster(int gpus) =>
        new([.. Enumerable.Range(0, (gpus + 7) / 8).Select(n => new NodeInventory
        {
            Name = $"gpu-node-{n:D4}",
            GpuProduct = Product,
            GpuCount = Math.Min(8, gpus - (8 * n)),
        })]);

    /// <summary>
    /// <paramref name="count"/> services whose load together needs about <paramref name="fillGpus"/>
    /// whole GPUs when every service runs on 7g slices at the policy's utilisation cap.
    /// </summary>
    public static List<ServiceDemand> Services(int count, SizeMix mix, double fillGpus, PlanningPolicy policy, int seed = Seed)
    {
        var random = new Random(seed);
        var product = GpuCatalog.Default.Resolve(Product);
        var model = new CapacityModel(policy);
        var drafts = new List<(ServiceDemand Service, double PerGpuRps, double Share)>();
        for (var i = 0; i < count; i++)
        {
            var family = Families[i % Families.Length];
            var scale = 0.6 + random.NextDouble();
            var sizes = Sizes(mix == SizeMix.Mixed ? (SizeMix)random.Next(4) : mix, family.MaxBatch);
            var service = new ServiceDemand
            {
                Name = $"bench/{family.Name}-{i:D3}",
                // Every size must fit Beta x SLO on a 7g slice at least, or the service could never be met.
                SloMs = Math.Round(Math.Max(family.SloMs * (0.8 + (0.7 * random.NextDouble())), 2.5 * Latency(family.T0 * scale, family.W * scale, family.K, 7, family.MaxBatch)), 1),
                RequestsPerSecond = 1,
                Sizes = [.. sizes],
                Latencies = [Table(family.T0 * scale, family.W * scale, family.K, family.MaxBatch)],
                MaxBatchSize = family.MaxBatch,
                MemoryMiB = family.MemoryMiB,
            };
            var whole = model.Options(service, product).Single(o => o.Profile.Name == "7g.40gb");
            var costMs = service.Sizes.Select((c, k) => c.Weight * (whole.RequestCostMs[k] ?? double.NaN)).Sum();
            drafts.Add((service, policy.Rho * 1000 / costMs, 0.2 + random.NextDouble()));
        }

        var shares = drafts.Sum(d => d.Share);
        return [.. drafts.Select(d => d.Service with { RequestsPerSecond = Math.Round(fillGpus * d.Share / shares * d.PerGpuRps, 1) })];
    }

    private static LatencyTable Table(double t0, double w, double k, int maxBatch) =>
        new(Product,
        [
            .. from profile in Profiles
               let g = profile[0] - '0'
               from b in Batches.Where(b => b <= maxBatch)
               select new LatencyPoint(profile, b, Math.Round(Latency(t0, w, k, g, b), 3)),
        ], ProfileSource.Estimated);

    private static double Latency(double t0, double w, double k, int g, int b) => t0 + (w * b / Math.Min(g, 1 + (b / k)));

    private static List<SizeClass> Sizes(SizeMix mix, int maxBatch)
    {
        (int Size, double Weight)[] raw = mix switch
        {
            SizeMix.Small => [(1, 0.7), (2, 0.2), (4, 0.1)],
            SizeMix.Bimodal => [(1, 0.6), (maxBatch, 0.4)],
            SizeMix.HeavyTail => [(1, 0.5), (2, 0.2), (4, 0.12), (8, 0.08), (16, 0.06), (32, 0.04)],
            _ => LogNormalBins(4, 1.0),
        };
        var capped = raw.GroupBy(x => Math.Min(x.Size, maxBatch)).Select(g => (Size: g.Key, Weight: g.Sum(x => x.Weight))).ToList();
        var total = capped.Sum(x => x.Weight);
        return [.. capped.Select(x => new SizeClass(x.Size, x.Weight / total))];
    }

    /// <summary>Log-normal sizes binned to powers of two up to 32 (bin edges at the geometric midpoints).</summary>
    private static (int, double)[] LogNormalBins(double median, double sigma)
    {
        int[] sizes = [1, 2, 4, 8, 16, 32];
        double Cdf(double x) => 0.5 * (1 + Erf((Math.Log(x) - Math.Log(median)) / (sigma * Math.Sqrt(2))));
        return [.. sizes.Select((s, i) =>
        {
            var lo = i == 0 ? 0 : Cdf(s / Math.Sqrt(2));
            var hi = i == sizes.Length - 1 ? 1 : Cdf(s * Math.Sqrt(2));
            return (s, hi - lo);
        })];
    }

    /// <summary>Abramowitz and Stegun 7.1.26 (error below 1.5e-7).</summary>
    private static double Erf(double x)
    {
        var t = 1 / (1 + (0.3275911 * Math.Abs(x)));
        var y = 1 - (((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return Math.Sign(x) * y;
    }
}
