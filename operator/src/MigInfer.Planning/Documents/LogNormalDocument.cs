namespace MigInfer.Planning.Documents;

/// <summary>spec.traffic.lognormal: request sizes drawn from LogNormal(ln median, sigma), capped at max.</summary>
public sealed class LogNormalDocument
{
    public double? Median { get; set; }
    public double? Sigma { get; set; }
    public int? Max { get; set; }
}
