namespace MigInfer.Planning.Documents;

/// <summary>spec.profile: a measured latency table, a roofline estimate from model costs, or a reference to a ConfigMap holding the table.</summary>
public sealed class ProfileDocument
{
    public string? GpuProduct { get; set; }
    public string? Source { get; set; }
    public List<LatencyPointDocument>? Latencies { get; set; }
    public EstimateDocument? Estimate { get; set; }
    public ProfileRefDocument? ProfileRef { get; set; }
}
