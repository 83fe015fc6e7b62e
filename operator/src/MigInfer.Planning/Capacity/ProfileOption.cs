using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Capacity;

/// <summary>
/// How one service runs on one slice profile of one product under the capacity model: per
/// request-size class, the slice time a request costs (null: the class cannot meet Beta × SLO
/// there) and the latency of the batch it runs in.
/// </summary>
public sealed record ProfileOption(
    GpuProduct Product,
    MigProfile Profile,
    IReadOnlyList<double?> RequestCostMs)
{
    /// <summary>Per request-size class, execution latency of the batch such a request runs in.</summary>
    public required IReadOnlyList<double?> ExecutionMs { get; init; }

    public bool ServesAny => RequestCostMs.Any(c => c.HasValue);
}
