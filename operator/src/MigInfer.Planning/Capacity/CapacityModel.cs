using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Capacity;

/// <summary>
/// The capacity model (DESIGN.md section 4). A request of b samples may run on profile p only if
/// lat(p, b) ≤ Beta·SLO. A server that batches runs small requests together, so a class-b request
/// is planned inside the batch B ≥ b with the best throughput that still meets Beta·SLO and costs
/// b·lat(p, B)/B of slice time; a slice is planned busy at most Rho of the time.
/// </summary>
public sealed class CapacityModel(PlanningPolicy policy)
{
    public PlanningPolicy Policy { get; } = policy;

    /// <summary>The latency budget of one batch execution.</summary>
    public double ExecutionBudgetMs(ServiceDemand service) => Policy.Beta * service.SloMs;

    /// <summary>The table for this product, or null if the service was not profiled on it.</summary>
    public static LatencyTable? TableFor(ServiceDemand service, GpuProduct product) =>
        service.Latencies.FirstOrDefault(t =>
            string.Equals(t.GpuProduct, product.Name, StringComparison.OrdinalIgnoreCase)
            || product.ProductLabels.Contains(t.GpuProduct, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// Every plannable profile of <paramref name="product"/> the service may use: allowed, measured,
    /// large enough for the model, and fast enough for at least one request size.
    /// </summary>
    public IReadOnlyList<ProfileOption> Options(ServiceDemand service, GpuProduct product)
    {
        var table = TableFor(service, product);
        if (table is null)
        {
            return [];
        }

        var options = new List<ProfileOption>();
        foreach (var profile in product.PlannableProfiles)
        {
            if (!table.Has(profile.Name)
                || (!service.AllowedProfiles.IsEmpty && !service.AllowedProfiles.Contains(profile.Name))
                || service.MemoryMiB > profile.MemoryMiB)
            {
                continue;
            }

            var option = Analyse(service, product, profile, table);
            if (option.ServesAny)
            {
                options.Add(option);
            }
        }

        return options;
    }

    private ProfileOption Analyse(ServiceDemand service, GpuProduct product, MigProfile profile, LatencyTable table)
    {
        var budget = ExecutionBudgetMs(service);
        var maxBatch = Math.Max(1, service.MaxBatchSize);
        double Lat(int b) => table.Milliseconds(profile.Name, b)!.Value;

        // bestFrom[b]: the batch B ≥ b (within the budget) with the highest throughput B / lat(B).
        var bestFrom = new int[maxBatch + 2];
        bestFrom[maxBatch + 1] = 0;
        for (var b = maxBatch; b >= 1; b--)
        {
            var next = bestFrom[b + 1];
            var fits = Lat(b) <= budget;
            bestFrom[b] = !fits ? next
                : next == 0 || b / Lat(b) >= next / Lat(next) ? b
                : next;
        }

        var costs = new double?[service.Sizes.Length];
        var executions = new double?[service.Sizes.Length];
        for (var i = 0; i < service.Sizes.Length; i++)
        {
            var size = service.Sizes[i].Size;
            if (Lat(size) > budget)
            {
                continue;
            }

            var batch = size <= maxBatch && bestFrom[size] != 0 ? bestFrom[size] : size;
            executions[i] = Lat(batch);
            costs[i] = size * Lat(batch) / batch;
        }

        return new ProfileOption(product, profile, costs) { ExecutionMs = executions };
    }
}
