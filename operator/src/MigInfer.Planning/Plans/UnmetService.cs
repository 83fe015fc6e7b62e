namespace MigInfer.Planning.Plans;

/// <summary>
/// A service whose SLO the plan cannot meet: why, the spec field at fault (null for
/// <see cref="UnmetReason.InsufficientCapacity"/>), a message, and how much load is left unserved.
/// </summary>
public sealed record UnmetService(string Service, UnmetReason Reason, string? Field, string Message, double ShortfallRps)
{
    public bool IsSpecProblem => Reason != UnmetReason.InsufficientCapacity;
}
