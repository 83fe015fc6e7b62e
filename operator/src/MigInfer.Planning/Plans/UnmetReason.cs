namespace MigInfer.Planning.Plans;

/// <summary>
/// Why a service's SLO cannot be met. All but <see cref="InsufficientCapacity"/> are problems of the
/// spec (no cluster of this shape can serve it); hosts report those as invalid specs.
/// </summary>
public enum UnmetReason
{
    /// <summary>Some request size runs longer than Beta × SLO on every allowed, measured profile.</summary>
    SloUnattainable,

    /// <summary>The model needs more memory than the largest allowed slice has.</summary>
    ModelTooLarge,

    /// <summary>The service has latencies only for GPU products the cluster does not have.</summary>
    NoProfileForProduct,

    /// <summary>No GPU node matches the service's node selector.</summary>
    NoMatchingNode,

    /// <summary>The spec is servable, but the cluster has too few free GPUs for the load.</summary>
    InsufficientCapacity,
}
