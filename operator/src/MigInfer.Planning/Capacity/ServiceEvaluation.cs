namespace MigInfer.Planning.Capacity;

/// <summary>
/// Capacity of a set of slices for one service's request mix, and the latency predicted at its
/// demand (an estimate: batch execution plus the mean M/D/c wait at the planned utilisation).
/// </summary>
public sealed record ServiceEvaluation(double CapacityRps, double Utilisation, double PredictedLatencyMs);
