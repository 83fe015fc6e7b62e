using System.Collections.Immutable;

namespace MigInfer.Planning.Model;

/// <summary>
/// What the planner knows of one InferenceService: its load, its latency target, its latency
/// tables and where it may run. Built by hosts from the CRD or from YAML files.
/// </summary>
public sealed record ServiceDemand
{
    /// <summary><c>namespace/name</c>.</summary>
    public required string Name { get; init; }

    public required double SloMs { get; init; }

    public required double RequestsPerSecond { get; init; }

    /// <summary>Request sizes with weights that sum to 1.</summary>
    public required ImmutableArray<SizeClass> Sizes { get; init; }

    /// <summary>Latency tables, one per GPU product the service was profiled on.</summary>
    public required ImmutableArray<LatencyTable> Latencies { get; init; }

    /// <summary>The largest batch the model accepts on dimension 0; 1 means the server does not batch.</summary>
    public int MaxBatchSize { get; init; } = 1;

    /// <summary>Device memory the model needs on a slice; 0 when neither given nor estimated (it fits every slice).</summary>
    public int MemoryMiB { get; init; }

    /// <summary>Whether <see cref="MemoryMiB"/> was estimated from the profile's model cost rather than given.</summary>
    public bool MemoryEstimated { get; init; }

    /// <summary>Profiles the service may use; empty means every profile it has latencies for.</summary>
    public ImmutableArray<string> AllowedProfiles { get; init; } = [];

    /// <summary>Node labels a node must carry to host this service.</summary>
    public ImmutableDictionary<string, string> NodeSelector { get; init; } = ImmutableDictionary<string, string>.Empty;

    public int MinSlices { get; init; } = 1;

    public override string ToString() => Name;
}
