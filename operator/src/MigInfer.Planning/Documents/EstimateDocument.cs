namespace MigInfer.Planning.Documents;

/// <summary>spec.profile.estimate: model costs for a roofline estimate.</summary>
public sealed class EstimateDocument
{
    public double? GflopsPerSample { get; set; }
    public double? WeightMiB { get; set; }
    public double? ActivationMiBPerSample { get; set; }
    public string? Precision { get; set; }
}
