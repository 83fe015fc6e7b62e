namespace MigInfer.Planning.Documents;

/// <summary>spec.traffic: a rate and either explicit batch sizes or a log-normal distribution.</summary>
public sealed class TrafficDocument
{
    public double? RequestsPerSecond { get; set; }
    public List<BatchSizeDocument>? BatchSizes { get; set; }
    public LogNormalDocument? Lognormal { get; set; }
}
