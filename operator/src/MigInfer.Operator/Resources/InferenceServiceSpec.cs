using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec of an InferenceService (crds/inferenceservices.miginfer.io.yaml).</summary>
public sealed class InferenceServiceSpec
{
    [JsonPropertyName("model")]
    public ModelSpec? Model { get; set; }

    [JsonPropertyName("slo")]
    public SloSpec? Slo { get; set; }

    [JsonPropertyName("traffic")]
    public TrafficSpec? Traffic { get; set; }

    [JsonPropertyName("profile")]
    public ProfileSpec? Profile { get; set; }

    [JsonPropertyName("placement")]
    public PlacementSpec? Placement { get; set; }

    [JsonPropertyName("batching")]
    public BatchingSpec? Batching { get; set; }

    [JsonPropertyName("server")]
    public ServerSpec? Server { get; set; }
}
