using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Kube;

/// <summary>
/// The kinds the operator reads and writes, each as an <see cref="IResourceApi{T}"/> over the real
/// KubernetesClient. Pods, Services and PodDisruptionBudgets are listed by the operator's label only.
/// </summary>
internal sealed class KubeApis(IKubernetes client, string managedSelector)
{
    public IKubernetes Client => client;

    public IResourceApi<V1Node> Nodes { get; } = new ResourceApi<V1Node>
    {
        Kind = "Node",
        List = async c => Of(await client.CoreV1.ListNodeAsync(cancellationToken: c)),
        Watch = (rv, t, e, c) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: t, onError: e, cancellationToken: c),
        Create = (o, c) => client.CoreV1.CreateNodeAsync(o, cancellationToken: c),
        Replace = (o, c) => client.CoreV1.ReplaceNodeAsync(o, o.Metadata.Name, cancellationToken: c),
        ReplaceStatus = (o, c) => client.CoreV1.ReplaceNodeStatusAsync(o, o.Metadata.Name, cancellationToken: c),
        Patch = (_, n, p, c) => client.CoreV1.PatchNodeAsync(p, n, cancellationToken: c),
        Delete = (_, n, c) => client.CoreV1.DeleteNodeAsync(n, cancellationToken: c),
    };

    public IResourceApi<V1Pod> Pods { get; } = new ResourceApi<V1Pod>
    {
        Kind = "Pod",
        List = async c => Of(await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: managedSelector, cancellationToken: c)),
        Watch = (rv, t, e, c) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: managedSelector, resourceVersion: rv, timeoutSeconds: t, onError: e, cancellationToken: c),
        Create = (o, c) => client.CoreV1.CreateNamespacedPodAsync(o, o.Metadata.NamespaceProperty, cancellationToken: c),
        Replace = (o, c) => client.CoreV1.ReplaceNamespacedPodAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, cancellationToken: c),
        ReplaceStatus = (o, c) => client.CoreV1.ReplaceNamespacedPodStatusAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, cancellationToken: c),
        Patch = (ns, n, p, c) => client.CoreV1.PatchNamespacedPodAsync(p, n, ns, cancellationToken: c),
        Delete = (ns, n, c) => client.CoreV1.DeleteNamespacedPodAsync(n, ns, cancellationToken: c),
    };

    public IResourceApi<V1Service> Services { get; } = new ResourceApi<V1Service>
    {
        Kind = "Service",
        List = async c => Of(await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: managedSelector, cancellationToken: c)),
        Watch = (rv, t, e, c) => client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: managedSelector, resourceVersion: rv, timeoutSeconds: t, onError: e, cancellationToken: c),
        Create = (o, c) => client.CoreV1.CreateNamespacedServiceAsync(o, o.Metadata.NamespaceProperty, cancellationToken: c),
        Replace = (o, c) => client.CoreV1.ReplaceNamespacedServiceAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, cancellationToken: c),
        Patch = (ns, n, p, c) => client.CoreV1.PatchNamespacedServiceAsync(p, n, ns, cancellationToken: c),
        Delete = (ns, n, c) => client.CoreV1.DeleteNamespacedServiceAsync(n, ns, cancellationToken: c),
    };

    public IResourceApi<V1PodDisruptionBudget> DisruptionBudgets { get; } = new ResourceApi<V1PodDisruptionBudget>
    {
        Kind = "PodDisruptionBudget",
        List = async c => Of(await client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(labelSelector: managedSelector, cancellationToken: c)),
        Watch = (rv, t, e, c) => client.PolicyV1.WatchListPodDisruptionBudgetForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: managedSelector, resourceVersion: rv, timeoutSeconds: t, onError: e, cancellationToken: c),
        Create = (o, c) => client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(o, o.Metadata.NamespaceProperty, cancellationToken: c),
        Replace = (o, c) => client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetAsync(o, o.Metadata.Name, o.Metadata.NamespaceProperty, cancellationToken: c),
        Patch = (ns, n, p, c) => client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(p, n, ns, cancellationToken: c),
        Delete = (ns, n, c) => client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(n, ns, cancellationToken: c),
    };

    public IResourceApi<InferenceService> InferenceServices { get; } = new ResourceApi<InferenceService>
    {
        Kind = InferenceService.KindName,
        List = async c => Of(await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<CustomResourceList<InferenceService>>(MigInferApi.Group, MigInferApi.Version, InferenceService.Plural, cancellationToken: c)),
        Watch = (rv, t, e, c) => Typed<InferenceService>(client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(MigInferApi.Group, MigInferApi.Version, InferenceService.Plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: t, onError: e, cancellationToken: c), c),
        Create = (o, c) => client.CustomObjects.CreateNamespacedCustomObjectAsync<InferenceService>(o, MigInferApi.Group, MigInferApi.Version, o.Metadata.NamespaceProperty, InferenceService.Plural, cancellationToken: c),
        Replace = (o, c) => client.CustomObjects.ReplaceNamespacedCustomObjectAsync<InferenceService>(o, MigInferApi.Group, MigInferApi.Version, o.Metadata.NamespaceProperty, InferenceService.Plural, o.Metadata.Name, cancellationToken: c),
        ReplaceStatus = (o, c) => client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<InferenceService>(o, MigInferApi.Group, MigInferApi.Version, o.Metadata.NamespaceProperty, InferenceService.Plural, o.Metadata.Name, cancellationToken: c),
        Patch = (ns, n, p, c) => client.CustomObjects.PatchNamespacedCustomObjectAsync<InferenceService>(p, MigInferApi.Group, MigInferApi.Version, ns, InferenceService.Plural, n, cancellationToken: c),
        Delete = (ns, n, c) => client.CustomObjects.DeleteNamespacedCustomObjectAsync(MigInferApi.Group, MigInferApi.Version, ns, InferenceService.Plural, n, cancellationToken: c),
    };

    public IResourceApi<MigPlan> MigPlans { get; } = new ResourceApi<MigPlan>
    {
        Kind = MigPlan.KindName,
        List = async c => Of(await client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<MigPlan>>(MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, cancellationToken: c)),
        Watch = (rv, t, e, c) => Typed<MigPlan>(client.CustomObjects.WatchListClusterCustomObjectAsync(MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: t, onError: e, cancellationToken: c), c),
        Create = (o, c) => client.CustomObjects.CreateClusterCustomObjectAsync<MigPlan>(o, MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, cancellationToken: c),
        Replace = (o, c) => client.CustomObjects.ReplaceClusterCustomObjectAsync<MigPlan>(o, MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, o.Metadata.Name, cancellationToken: c),
        ReplaceStatus = (o, c) => client.CustomObjects.ReplaceClusterCustomObjectStatusAsync<MigPlan>(o, MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, o.Metadata.Name, cancellationToken: c),
        Patch = (_, n, p, c) => client.CustomObjects.PatchClusterCustomObjectAsync<MigPlan>(p, MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, n, cancellationToken: c),
        Delete = (_, n, c) => client.CustomObjects.DeleteClusterCustomObjectAsync(MigInferApi.Group, MigInferApi.Version, MigPlan.Plural, n, cancellationToken: c),
    };

    private static (IReadOnlyList<T>, string) Of<T>(IItems<T> list) where T : IKubernetesObject<V1ObjectMeta> =>
        ([.. list.Items], ((IKubernetesObject<V1ListMeta>)list).Metadata?.ResourceVersion ?? "");

    private static async IAsyncEnumerable<(WatchEventType, T)> Typed<T>(IAsyncEnumerable<(WatchEventType, object)> raw, [EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var (type, obj) in raw.WithCancellation(cancel))
        {
            var json = obj is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(obj);
            yield return (type, KubernetesJson.Deserialize<T>(json));
        }
    }
}
