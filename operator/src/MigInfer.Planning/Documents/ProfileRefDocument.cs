namespace MigInfer.Planning.Documents;

/// <summary>
/// spec.profile.profileRef: the latency profile kept in a ConfigMap of the service's namespace, so
/// measurements can be updated without editing the InferenceService. The key (default
/// <see cref="DefaultKey"/>) holds a profile in the shape of spec.profile: gpuProduct, source and latencies.
/// </summary>
public sealed class ProfileRefDocument
{
    public const string DefaultKey = "profile.yaml";

    public string? ConfigMap { get; set; }
    public string? Key { get; set; }
}
