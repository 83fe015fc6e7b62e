using System.Collections.Immutable;

namespace MigInfer.Planning.Plans;

/// <summary>What a plan gives one service: slices per profile, planned capacity and predicted latency.</summary>
public sealed record ServicePlan(
    string Service,
    ImmutableSortedDictionary<string, int> Slices,
    double CapacityRps,
    double DemandRps,
    double PredictedLatencyMs,
    bool LatencyEstimated);
