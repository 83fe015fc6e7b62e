namespace MigInfer.Operator.Hosting;

/// <summary>
/// The operator's configuration: the <c>Operator</c> section (<c>Operator__ServerImage=...</c>), filled from the
/// environment the Helm chart sets (<c>MIGINFER_*</c>, see <see cref="ChartEnvironment"/>); see docs/operator.md.
/// </summary>
public sealed record OperatorOptions
{
    public const string Section = "Operator";

    /// <summary>Inference-server image for slice pods when the InferenceService names none.</summary>
    public string ServerImage { get; init; } = "ghcr.io/miginfer/miginfer-inference-server:0.1.0-cuda";

    /// <summary>Pull policy of the slice pods' server image.</summary>
    public string ServerImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>Image of the init container that fetches http(s)://, s3:// and gs:// models into /mnt/models (KServe's storage initializer: args are the URI and the folder).</summary>
    public string StorageInitializerImage { get; init; } = "kserve/storage-initializer:v0.14.1";

    /// <summary>Execution provider the slice servers use.</summary>
    public string ExecutionProvider { get; init; } = "cuda";

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>Port of /healthz and /readyz.</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>Port of /metrics.</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>Whether replicas elect a leader through a Lease; without it this replica always leads (one replica only).</summary>
    public bool LeaderElection { get; init; } = true;

    /// <summary>Namespace of the leader-election Lease (the operator's own namespace).</summary>
    public string LeaseNamespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "miginfer-system";

    public string LeaseName { get; init; } = "miginfer-operator";

    /// <summary>This replica's identity in the Lease.</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Workers per kind.</summary>
    public int Workers { get; init; } = 4;

    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the leader asks each ready slice pod for its report (<c>GET /v2/slice</c>); a new pod is asked as soon as it is ready.</summary>
    public TimeSpan SliceProbeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one slice report may take.</summary>
    public TimeSpan SliceProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the ConfigMaps named by spec.profile.profileRef are read again (they are read, not watched).</summary>
    public TimeSpan ProfileRefRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Slice reports asked for at once.</summary>
    public int SliceProbeConcurrency { get; init; } = 16;
}
