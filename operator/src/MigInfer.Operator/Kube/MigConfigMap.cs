using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MigInfer.Operator.Rollout;

namespace MigInfer.Operator.Kube;

/// <summary>
/// The mig-parted ConfigMap the MIG manager reads. The operator's RBAC names this one object, so it is read
/// with a get (not a watch) and the copy each write returns is kept: the leader is its only writer. A conflict
/// drops the copy, so the retry reads the object again.
/// </summary>
internal sealed class MigConfigMap(IKubernetes client)
{
    private V1ConfigMap? _known;

    public async Task<V1ConfigMap?> GetAsync(string ns, string name, CancellationToken cancel)
    {
        if (_known is { } known && known.Metadata.NamespaceProperty == ns && known.Metadata.Name == name)
        {
            return known;
        }

        try
        {
            return _known = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancel);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return _known = null;
        }
    }

    /// <summary>Writes the configurations (mig-parted's config.yaml and the layouts with start slots) unless they are there already.</summary>
    public async Task<bool> WriteAsync(string ns, string name, IReadOnlyDictionary<string, IReadOnlyDictionary<int, string>> configs, CancellationToken cancel)
    {
        var current = await GetAsync(ns, name, cancel);
        var yaml = MigPartedConfig.Render(configs);
        var layouts = NodeStates.LayoutsJson(configs);
        if (current?.Data is { } data && data.TryGetValue("config.yaml", out var text) && text == yaml && current!.Metadata.Annotation(WellKnown.LayoutsAnnotation) == layouts)
        {
            return false;
        }

        var next = current ?? new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [WellKnown.ManagedBy] = WellKnown.ManagedByValue },
            },
        };
        next.Data = new Dictionary<string, string> { ["config.yaml"] = yaml };
        next.Metadata.Annotations ??= new Dictionary<string, string>();
        next.Metadata.Annotations[WellKnown.LayoutsAnnotation] = layouts;
        try
        {
            _known = current is null
                ? await client.CoreV1.CreateNamespacedConfigMapAsync(next, ns, cancellationToken: cancel)
                : await client.CoreV1.ReplaceNamespacedConfigMapAsync(next, name, ns, cancellationToken: cancel);
        }
        catch (HttpOperationException)
        {
            _known = null;
            throw;
        }

        return true;
    }
}
