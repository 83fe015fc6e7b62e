using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Baselines;

/// <summary>
/// The sizing half of PARIS (Kim, Choi, Rhu, DAC 2022), as we read it (shared/reference/algorithms.md):
/// the knee of each profile's throughput curve, the batch-size range each profile takes, and the
/// slice count per profile from the load routed to it.
/// </summary>
internal static class ParisSizing
{
    /// <summary>Throughput within this fraction of a profile's peak counts as saturated.</summary>
    public const double Saturation = 0.9;

    /// <summary>
    /// knee[p]: the smallest batch whose throughput reaches <see cref="Saturation"/> of the best
    /// throughput the profile reaches within Beta × SLO; batches past the knee gain little.
    /// </summary>
    public static int Knee(ServiceDemand service, GpuProduct product, ProfileOption option, double budgetMs)
    {
        var table = CapacityModel.TableFor(service, product)!;
        var maxBatch = Math.Max(1, service.MaxBatchSize);
        var throughput = Enumerable.Range(1, maxBatch)
            .Select(b => (Batch: b, Ms: table.Milliseconds(option.Profile.Name, b)!.Value))
            .Where(x => x.Ms <= budgetMs)
            .Select(x => (x.Batch, PerMs: x.Batch / x.Ms))
            .ToList();
        if (throughput.Count == 0)
        {
            return int.MaxValue;
        }

        var peak = throughput.Max(x => x.PerMs);
        return throughput.First(x => x.PerMs >= Saturation * peak).Batch;
    }

    /// <summary>
    /// Slices per profile: request class c (b samples) goes to the largest profile whose knee is at
    /// most b (the smallest profile that can serve it when no knee is that low, or the next larger
    /// one that meets the budget), D[p] = λ · Σ_{c→p} w(c) · cost(p, c) in slice-seconds per second,
    /// and n[p] = ceil(D[p] / ρ). Profiles are ordered smallest first.
    /// </summary>
    public static Dictionary<ProfileOption, int> SliceCounts(ServiceDemand service, GpuProduct product, IReadOnlyList<ProfileOption> options, Func<int, bool> servable, PlanningPolicy policy)
    {
        var ordered = options.OrderBy(o => o.Profile.ComputeSlices).ThenBy(o => o.Profile.MemorySlices).ToList();
        var budget = policy.Beta * service.SloMs;
        var knees = ordered.Select(o => Knee(service, product, o, budget)).ToList();
        var load = new double[ordered.Count];
        for (var c = 0; c < service.Sizes.Length; c++)
        {
            if (service.Sizes[c].Weight <= 0 || !servable(c))
            {
                continue;
            }

            var size = service.Sizes[c].Size;
            var target = Enumerable.Range(0, ordered.Count).LastOrDefault(k => knees[k] <= size && ordered[k].RequestCostMs[c].HasValue, -1);
            if (target < 0)
            {
                target = Enumerable.Range(0, ordered.Count).FirstOrDefault(k => ordered[k].RequestCostMs[c].HasValue, -1);
            }

            if (target >= 0)
            {
                load[target] += service.RequestsPerSecond * service.Sizes[c].Weight * ordered[target].RequestCostMs[c]!.Value / 1000.0;
            }
        }

        var counts = new Dictionary<ProfileOption, int>();
        for (var k = 0; k < ordered.Count; k++)
        {
            var n = (int)Math.Ceiling((load[k] / policy.Rho) - 1e-9);
            if (n > 0)
            {
                counts[ordered[k]] = n;
            }
        }

        if (counts.Values.Sum() < service.MinSlices && ordered.Count > 0)
        {
            var smallest = counts.Keys.FirstOrDefault() ?? ordered[0];
            counts[smallest] = counts.GetValueOrDefault(smallest) + service.MinSlices - counts.Values.Sum();
        }

        return counts;
    }
}
