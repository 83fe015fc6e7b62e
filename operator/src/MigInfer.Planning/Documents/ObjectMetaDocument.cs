namespace MigInfer.Planning.Documents;

/// <summary>Object name and namespace.</summary>
public sealed class ObjectMetaDocument
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}
