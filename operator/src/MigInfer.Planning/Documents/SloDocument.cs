namespace MigInfer.Planning.Documents;

/// <summary>spec.slo.</summary>
public sealed class SloDocument
{
    public double? LatencyMs { get; set; }
    public double? Percentile { get; set; }
}
