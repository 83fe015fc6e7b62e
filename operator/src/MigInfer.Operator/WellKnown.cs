namespace MigInfer.Operator;

/// <summary>Label, annotation and finalizer names the operator reads and writes.</summary>
internal static class WellKnown
{
    public const string GpuProduct = "nvidia.com/gpu.product";
    public const string GpuCount = "nvidia.com/gpu.count";
    public const string MigCapable = "nvidia.com/mig.capable";
    public const string MigStrategy = "nvidia.com/mig.strategy";
    public const string MigConfig = "nvidia.com/mig.config";
    public const string MigConfigState = "nvidia.com/mig.config.state";

    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "miginfer-operator";
    public const string ManagedSelector = ManagedBy + "=" + ManagedByValue;
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";

    public const string ServiceLabel = "miginfer.io/service";
    public const string ProfileLabel = "miginfer.io/profile";
    public const string NodeLabel = "miginfer.io/node";
    public const string GpuLabel = "miginfer.io/gpu";
    public const string StartLabel = "miginfer.io/start";

    /// <summary>
    /// Set by the operator on a slice pod from its server's <c>GET /v2/slice</c> report: the MIG device the device plugin
    /// gave it, as <c>gpuIndex/migUuid</c> (e.g. <c>3/MIG-4f5e...</c>). Where it is, it wins over the gpu label.
    /// </summary>
    public const string MigDeviceAnnotation = "miginfer.io/mig-device";

    /// <summary>On a slice pod: a hash of the pod spec it was created with, to find pods whose InferenceService has changed since.</summary>
    public const string PodSpecHashAnnotation = "miginfer.io/pod-spec-hash";

    /// <summary>On the mig-parted ConfigMap: per named configuration, the layout of each GPU with start slots.</summary>
    public const string LayoutsAnnotation = "miginfer.io/layouts";

    /// <summary>On a node: when the operator last set nvidia.com/mig.config, and how many attempts it has made.</summary>
    public const string MigConfigSinceAnnotation = "miginfer.io/mig-config-since";
    public const string MigConfigAttemptAnnotation = "miginfer.io/mig-config-attempt";

    public const string Finalizer = "miginfer.io/finalizer";
}
