namespace MigInfer.Planning.Documents;

/// <summary>spec.model.</summary>
public sealed class ModelDocument
{
    public string? StorageUri { get; set; }
    public string? Format { get; set; }
    public int? MaxBatchSize { get; set; }
    public int? MemoryMiB { get; set; }
}
