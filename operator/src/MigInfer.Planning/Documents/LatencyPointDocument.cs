namespace MigInfer.Planning.Documents;

/// <summary>One entry of spec.profile.latencies.</summary>
public sealed class LatencyPointDocument
{
    public string? Profile { get; set; }
    public int? Batch { get; set; }
    public double? Ms { get; set; }
}
