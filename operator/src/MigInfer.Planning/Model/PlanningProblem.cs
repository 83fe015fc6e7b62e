using System.Collections.Immutable;

namespace MigInfer.Planning.Model;

/// <summary>Everything one planning run needs; immutable, so the same input gives the same plan.</summary>
public sealed record PlanningProblem(ClusterInventory Cluster, ImmutableArray<ServiceDemand> Services, PlanningPolicy Policy);
