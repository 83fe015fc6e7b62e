namespace MigInfer.Planning.Documents;

// The InferenceService resource (miginfer.io/v1alpha1) as YAML gives it: the fields the planner reads.
// Property names follow the CRD's camelCase; unknown fields are rejected when reading.

/// <summary>An InferenceService object as read from YAML.</summary>
public sealed class InferenceServiceDocument
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMetaDocument Metadata { get; set; } = new();
    public InferenceServiceSpecDocument? Spec { get; set; }
}

/// <summary>Object name and namespace.</summary>
public sealed class ObjectMetaDocument
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

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

/// <summary>spec.model.</summary>
public sealed class ModelDocument
{
    public string? StorageUri { get; set; }
    public string? Format { get; set; }
    public int? MaxBatchSize { get; set; }
    public int? MemoryMiB { get; set; }
}

/// <summary>spec.slo.</summary>
public sealed class SloDocument
{
    public double? LatencyMs { get; set; }
    public double? Percentile { get; set; }
}

/// <summary>spec.traffic: a rate and either explicit batch sizes or a log-normal distribution.</summary>
public sealed class TrafficDocument
{
    public double? RequestsPerSecond { get; set; }
    public List<BatchSizeDocument>? BatchSizes { get; set; }
    public LogNormalDocument? Lognormal { get; set; }
}

/// <summary>One entry of spec.traffic.batchSizes.</summary>
public sealed class BatchSizeDocument
{
    public int? Size { get; set; }
    public double? Weight { get; set; }
}

/// <summary>spec.traffic.lognormal: request sizes drawn from LogNormal(ln median, sigma), capped at max.</summary>
public sealed class LogNormalDocument
{
    public double? Median { get; set; }
    public double? Sigma { get; set; }
    public int? Max { get; set; }
}

/// <summary>spec.profile: a measured latency table, or a roofline estimate from model costs.</summary>
public sealed class ProfileDocument
{
    public string? GpuProduct { get; set; }
    public string? Source { get; set; }
    public List<LatencyPointDocument>? Latencies { get; set; }
    public EstimateDocument? Estimate { get; set; }
    public Dictionary<string, string>? ProfileRef { get; set; }
}

/// <summary>One entry of spec.profile.latencies.</summary>
public sealed class LatencyPointDocument
{
    public string? Profile { get; set; }
    public int? Batch { get; set; }
    public double? Ms { get; set; }
}

/// <summary>spec.profile.estimate: model costs for a roofline estimate.</summary>
public sealed class EstimateDocument
{
    public double? GflopsPerSample { get; set; }
    public double? WeightMiB { get; set; }
    public double? ActivationMiBPerSample { get; set; }
    public string? Precision { get; set; }
}

/// <summary>spec.placement.</summary>
public sealed class PlacementDocument
{
    public List<string>? AllowedProfiles { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public List<Dictionary<string, object>>? Tolerations { get; set; }
    public int? MinSlices { get; set; }
}

/// <summary>spec.batching (Triton's vocabulary).</summary>
public sealed class BatchingDocument
{
    public int? MaxQueueDelayMicroseconds { get; set; }
    public List<int>? PreferredBatchSizes { get; set; }
    public int? MaxQueueSize { get; set; }
}
