namespace MigInfer.Planning.Model;

/// <summary>Execution latency of one batch of <paramref name="Batch"/> samples on one slice profile.</summary>
public readonly record struct LatencyPoint(string Profile, int Batch, double Milliseconds);
