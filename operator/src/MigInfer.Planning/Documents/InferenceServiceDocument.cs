namespace MigInfer.Planning.Documents;

/// <summary>
/// An InferenceService (miginfer.io/v1alpha1) as read from YAML: the fields the planner reads, named
/// as in the CRD. Unknown fields are rejected when reading, as a strict API server would.
/// </summary>
public sealed class InferenceServiceDocument
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMetaDocument Metadata { get; set; } = new();
    public InferenceServiceSpecDocument? Spec { get; set; }
}
