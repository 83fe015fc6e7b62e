namespace MigInfer.Planning.Documents;

/// <summary>spec of an InferenceService.</summary>
public sealed class InferenceServiceSpecDocument
{
    public ModelDocument? Model { get; set; }
    public SloDocument? Slo { get; set; }
    public TrafficDocument? Traffic { get; set; }
    public ProfileDocument? Profile { get; set; }
    public PlacementDocument? Placement { get; set; }
    public BatchingDocument? Batching { get; set; }
    public Dictionary<string, object>? Server { get; set; }
}
