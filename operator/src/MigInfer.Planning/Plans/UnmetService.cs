namespace MigInfer.Planning.Plans;

/// <summary>A service whose SLO the plan cannot meet, why, and how much of its load is left unserved.</summary>
public sealed record UnmetService(string Service, string Reason, double ShortfallRps);
