using k8s.Models;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Rendering;

/// <summary>
/// The PodDisruptionBudget of an InferenceService's slice pods: as many must stay available as the plan gives the
/// service, so a voluntary eviction (<c>kubectl drain</c>, a cluster autoscaler) waits until a replacement serves
/// elsewhere. Slice pods are bare pods, and for those Kubernetes takes only an integer <c>minAvailable</c>. The
/// operator's own deletions (rollout steps) are not evictions and are not held back.
/// </summary>
internal static class DisruptionBudgetRenderer
{
    public static V1PodDisruptionBudget Render(InferenceService service, int minAvailable) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta
        {
            Name = Names.DisruptionBudget(service.Metadata.Name),
            NamespaceProperty = service.Metadata.NamespaceProperty,
            Labels = OwnedLabels.For(service.Metadata.Name, "slice"),
            OwnerReferences = [SlicePodRenderer.Owner(service)],
        },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            Selector = new V1LabelSelector { MatchLabels = SlicePodRenderer.Selector(service.Metadata.Name) },
        },
    };
}
