namespace MigInfer.Planning.Documents;

/// <summary>A ConfigMap (v1) as read from YAML next to the services, for spec.profile.profileRef.</summary>
public sealed class ConfigMapDocument
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMetaDocument Metadata { get; set; } = new();
    public Dictionary<string, string>? Data { get; set; }
    public bool? Immutable { get; set; }
}
