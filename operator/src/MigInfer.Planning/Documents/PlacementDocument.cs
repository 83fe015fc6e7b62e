namespace MigInfer.Planning.Documents;

/// <summary>spec.placement.</summary>
public sealed class PlacementDocument
{
    public List<string>? AllowedProfiles { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public List<Dictionary<string, object>>? Tolerations { get; set; }
    public int? MinSlices { get; set; }
}
