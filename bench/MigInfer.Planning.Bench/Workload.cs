using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Bench;

/// <summary>
/// A seeded family of clusters and services for the planner benchmarks. A subclass says what the
/// i-th service runs (its latency table, SLO and largest batch); this class gives it request sizes
/// and a rate, so that together the services need about a requested number of whole GPUs when
/// every one runs on whole-GPU (7g) slices at the policy's utilisation cap.
/// </summary>
internal abstract class Workload(string product)
{
    /// <summary>The seed of the published tables; the quality benchmark takes others to show the spread.</summary>
    public const int Seed = 20221;

    /// <summary>The <c>nvidia.com/gpu.product</c> value of every node.</summary>
    public string Product { get; } = product;

    /// <summary>One line for the table headers: what the latencies and SLOs are.</summary>
    public abstract string Description { get; }

    /// <summary>Nodes of 8 GPUs (the last may hold fewer).</summary>
    public ClusterInventory Cluster(int gpus) =>
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
    public List<ServiceDemand> Services(int count, SizeMix mix, double fillGpus, PlanningPolicy policy, int seed = Seed)
    {
        var random = new Random(seed);
        var product = GpuCatalog.Default.Resolve(Product);
        var whole = product.PlannableProfiles.MaxBy(p => p.ComputeSlices)!;
        var model = new CapacityModel(policy);
        var drafts = new List<(ServiceDemand Service, double PerGpuRps, double Share)>();
        for (var i = 0; i < count; i++)
        {
            var service = Service(i, random, maxBatch => Sizes(mix == SizeMix.Mixed ? (SizeMix)random.Next(4) : mix, maxBatch));
            var option = model.Options(service, product).Single(o => o.Profile == whole);
            var costMs = service.Sizes.Select((c, k) => c.Weight * (option.RequestCostMs[k] ?? double.NaN)).Sum();
            drafts.Add((service, policy.Rho * 1000 / costMs, 0.2 + random.NextDouble()));
        }

        var shares = drafts.Sum(d => d.Share);
        return [.. drafts.Select(d => d.Service with { RequestsPerSecond = Math.Round(fillGpus * d.Share / shares * d.PerGpuRps, 1) })];
    }

    /// <summary>
    /// The <paramref name="index"/>-th service at a rate of one request a second. It calls
    /// <paramref name="sizes"/> once with its largest batch for its request sizes; every size must
    /// meet Beta × SLO on the whole GPU, or the service could never be met.
    /// </summary>
    protected abstract ServiceDemand Service(int index, Random random, Func<int, SizeClass[]> sizes);

    private static SizeClass[] Sizes(SizeMix mix, int maxBatch)
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
