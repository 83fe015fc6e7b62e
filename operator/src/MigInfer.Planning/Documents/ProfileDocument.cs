namespace MigInfer.Planning.Documents;

/// <summary>spec.profile: a measured latency table, or a roofline estimate from model costs.</summary>
public sealed class ProfileDocument
{
    public string? GpuProduct { get; set; }
    public string? Source { get; set; }
    public List<LatencyPointDocument>? Latencies { get; set; }
    public EstimateDocument? Estimate { get; set; }
    public Dictionary<string, string>? ProfileRef { get; set; }
}
