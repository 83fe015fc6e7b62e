using System.Globalization;
using k8s;
using k8s.Models;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Documents;

namespace MigInfer.Operator.Rendering;

/// <summary>
/// Renders the pod for one slice (DESIGN.md section 6): owned by its InferenceService, labelled with
/// service/profile/node/gpu, pinned to its node, one server container requesting
/// <c>nvidia.com/mig-&lt;profile&gt;: 1</c>, non-root with a read-only root file system, probes on gRPC
/// health, and the model in /mnt/models (a PVC mounted read-only, or fetched by an init container).
/// </summary>
internal static class SlicePodRenderer
{
    public const int HttpPort = 8000;
    public const int GrpcPort = 8001;
    public const int MetricsPort = 8002;

    /// <summary>
    /// The slice pod for <paramref name="slice"/>, annotated with the hash of its spec (<see cref="SpecHash"/>) so that a
    /// change of the InferenceService that changes the spec (model, image, resources, SLO, batching) is seen on it.
    /// </summary>
    public static V1Pod Render(InferenceService service, SliceAssignment slice, OperatorOptions options)
    {
        var pod = RenderUnannotated(service, slice, options);
        pod.Metadata.Annotations = new Dictionary<string, string> { [WellKnown.PodSpecHashAnnotation] = Hash(pod.Spec) };
        return pod;
    }

    /// <summary>The hash of the spec a pod for <paramref name="slice"/> would have now.</summary>
    public static string SpecHash(InferenceService service, SliceAssignment slice, OperatorOptions options) =>
        Hash(RenderUnannotated(service, slice, options).Spec);

    private static string Hash(V1PodSpec spec) => Names.Hash(KubernetesJson.Serialize(spec));

    private static V1Pod RenderUnannotated(InferenceService service, SliceAssignment slice, OperatorOptions options)
    {
        var name = service.Metadata.Name;
        var ns = service.Metadata.NamespaceProperty;
        var spec = service.Spec!;
        var (volume, init, modelFile) = Model(spec.Model!.StorageUri!, options);
        var peerDomain = $"{Names.PeerService(name)}.{ns}.svc.{options.ClusterDomain}";
        var resources = new V1ResourceRequirements
        {
            Requests = Copy(spec.Server?.Resources?.Requests),
            Limits = Copy(spec.Server?.Resources?.Limits),
        };
        resources.Limits["nvidia.com/mig-" + Names.ProfileLabel(slice.Profile)] = new ResourceQuantity("1");
        var podName = Names.SlicePod(name, slice.Node, slice.Gpu, slice.Start);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = podName,
                NamespaceProperty = ns,
                Labels = Labels(name, slice),
                OwnerReferences = [Owner(service)],
            },
            Spec = new V1PodSpec
            {
                Hostname = podName,
                Subdomain = Names.PeerService(name),
                EnableServiceLinks = false,
                RestartPolicy = "Always",
                TerminationGracePeriodSeconds = 30,
                Affinity = new V1Affinity
                {
                    NodeAffinity = new V1NodeAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                        {
                            NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [slice.Node] }] }],
                        },
                    },
                },
                Tolerations = spec.Placement?.Tolerations is { Count: > 0 } t ? [.. t] : null,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = 1000,
                    RunAsGroup = 1000,
                    FsGroup = 1000,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                InitContainers = init is null ? null : [init],
                Containers =
                [
                    new V1Container
                    {
                        Name = "server",
                        Image = spec.Server?.Image ?? options.ServerImage,
                        ImagePullPolicy = options.ServerImagePullPolicy,
                        TerminationMessagePolicy = FallbackToLogsOnError,
                        Env = Environment(service, slice, modelFile, peerDomain, options),
                        Ports =
                        [
                            new V1ContainerPort { Name = "http", ContainerPort = HttpPort },
                            new V1ContainerPort { Name = "grpc", ContainerPort = GrpcPort },
                            new V1ContainerPort { Name = "metrics", ContainerPort = MetricsPort },
                        ],
                        Resources = resources,
                        StartupProbe = new V1Probe { Grpc = new V1GRPCAction { Port = GrpcPort }, PeriodSeconds = 5, FailureThreshold = 120 },
                        ReadinessProbe = new V1Probe { Grpc = new V1GRPCAction { Port = GrpcPort }, PeriodSeconds = 5 },
                        LivenessProbe = new V1Probe { Grpc = new V1GRPCAction { Port = GrpcPort }, PeriodSeconds = 10, FailureThreshold = 3 },
                        SecurityContext = Restricted(),
                        VolumeMounts =
                        [
                            new V1VolumeMount { Name = "model", MountPath = "/mnt/models", ReadOnlyProperty = true },
                            new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                        ],
                    },
                ],
                Volumes = [volume, new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
            },
        };
    }

    public static Dictionary<string, string> Labels(string service, SliceAssignment slice)
    {
        var labels = OwnedLabels.For(service, "slice");
        labels[WellKnown.ProfileLabel] = Names.ProfileLabel(slice.Profile);
        labels[WellKnown.NodeLabel] = slice.Node;
        labels[WellKnown.GpuLabel] = slice.Gpu.ToString(CultureInfo.InvariantCulture);
        labels[WellKnown.StartLabel] = slice.Start.ToString(CultureInfo.InvariantCulture);
        return labels;
    }

    /// <summary>What selects every slice pod of a service (the Services' and the PodDisruptionBudget's selector).</summary>
    public static Dictionary<string, string> Selector(string service) => new()
    {
        [WellKnown.ServiceLabel] = service,
        [WellKnown.Component] = "slice",
    };

    public static V1OwnerReference Owner(InferenceService service) => new()
    {
        ApiVersion = service.ApiVersion,
        Kind = InferenceService.KindName,
        Name = service.Metadata.Name,
        Uid = service.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private static List<V1EnvVar> Environment(InferenceService service, SliceAssignment slice, string modelFile, string peerDomain, OperatorOptions options)
    {
        var spec = service.Spec!;
        var env = new List<V1EnvVar>
        {
            new V1EnvVar { Name = "MIGINFER_MODEL_PATH", Value = "/mnt/models/" + modelFile },
            new V1EnvVar { Name = "MIGINFER_MODEL_NAME", Value = service.Metadata.Name },
            new V1EnvVar { Name = "MIGINFER_SLICE_PROFILE", Value = slice.Profile },
            new V1EnvVar { Name = "MIGINFER_MAX_BATCH_SIZE", Value = (spec.Model?.MaxBatchSize ?? 1).ToString(CultureInfo.InvariantCulture) },
            new V1EnvVar { Name = "MIGINFER_EXECUTION_PROVIDER", Value = options.ExecutionProvider },
            new V1EnvVar { Name = "MIGINFER_PEER_DNS", Value = $"{peerDomain}:{GrpcPort.ToString(CultureInfo.InvariantCulture)}" },
            new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
        };
        if (spec.Slo?.LatencyMs is { } slo)
        {
            env.Add(new V1EnvVar { Name = "MIGINFER_SLO_MS", Value = slo.ToString("0.###", CultureInfo.InvariantCulture) });
        }

        if (spec.Slo?.Percentile is { } percentile)
        {
            env.Add(new V1EnvVar { Name = "MIGINFER_SLO_PERCENTILE", Value = percentile.ToString("0.###", CultureInfo.InvariantCulture) });
        }

        if (spec.Model?.MaxDims is { Count: > 0 } maxDims)
        {
            env.Add(new V1EnvVar { Name = "MIGINFER_MAX_DIMS", Value = ModelDocument.FormatMaxDims(maxDims) });
        }

        if (spec.Batching?.MaxQueueDelayMicroseconds is { } delay)
        {
            env.Add(new V1EnvVar { Name = "MIGINFER_MAX_QUEUE_DELAY_US", Value = delay.ToString(CultureInfo.InvariantCulture) });
        }

        if (spec.Batching?.PreferredBatchSizes is { Count: > 0 } preferred)
        {
            env.Add(new V1EnvVar { Name = "MIGINFER_PREFERRED_BATCH_SIZES", Value = string.Join(',', preferred.Select(size => size.ToString(CultureInfo.InvariantCulture))) });
        }

        if (spec.Batching?.MaxQueueSize is { } queue)
        {
            env.Add(new V1EnvVar { Name = "MIGINFER_MAX_QUEUE_SIZE", Value = queue.ToString(CultureInfo.InvariantCulture) });
        }

        return env;
    }

    /// <summary>pvc://claim/dir/file mounts the claim read-only at /mnt/models; other schemes are fetched by the storage initializer.</summary>
    private static (V1Volume Volume, V1Container? Init, string File) Model(string uri, OperatorOptions options)
    {
        var path = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var file = path[(path.LastIndexOf('/') + 1)..];
        if (uri.StartsWith("pvc://", StringComparison.Ordinal))
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var claim = slash < 0 ? path : path[..slash];
            var volume = new V1Volume { Name = "model", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnlyProperty = true } };
            return (volume, null, slash < 0 ? "" : path[(slash + 1)..]);
        }

        var init = new V1Container
        {
            Name = "fetch-model",
            Image = options.StorageInitializerImage,
            TerminationMessagePolicy = FallbackToLogsOnError,
            Args = [uri, "/mnt/models"],
            SecurityContext = Restricted(),
            VolumeMounts = [new V1VolumeMount { Name = "model", MountPath = "/mnt/models" }, new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
        };
        return (new V1Volume { Name = "model", EmptyDir = new V1EmptyDirVolumeSource() }, init, file);
    }

    /// <summary>A container that fails leaves the end of its log as its termination message, which the status reads (<see cref="Reconcilers.PodTrouble"/>).</summary>
    private const string FallbackToLogsOnError = "FallbackToLogsOnError";

    private static V1SecurityContext Restricted() => new()
    {
        RunAsNonRoot = true,
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    /// <summary>Sorted by name, so the pod spec and its hash do not depend on the order the InferenceService lists them in.</summary>
    private static SortedDictionary<string, ResourceQuantity> Copy(Dictionary<string, ResourceQuantity>? source) =>
        source is null ? new(StringComparer.Ordinal) : new(source, StringComparer.Ordinal);
}
