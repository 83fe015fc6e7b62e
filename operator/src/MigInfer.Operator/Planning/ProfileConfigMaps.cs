using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Documents;

namespace MigInfer.Operator.Planning;

/// <summary>
/// The ConfigMaps that InferenceServices name in spec.profile.profileRef, read with one get each: the
/// operator's RBAC grants get on ConfigMaps, not list or watch, because watching every ConfigMap of the
/// cluster would cost far more than these few reads. Their changes are therefore picked up by reading
/// again every <c>OperatorOptions.ProfileRefRecheck</c> while any service uses a reference.
/// </summary>
internal static class ProfileConfigMaps
{
    public static bool Uses(InferenceService service) => service.Spec?.Profile?.ProfileRef?.ConfigMap is not null;

    /// <summary>
    /// The referenced ConfigMaps that exist, and a text that changes whenever one of them changes (its
    /// resourceVersion) or appears or goes, for the plan's fingerprint. A missing ConfigMap is left out, so
    /// the planner reports the reference as the spec problem that names it.
    /// </summary>
    public static async Task<(ConfigMapSet Maps, string Versions)> ReadAsync(IKubernetes client, IEnumerable<InferenceService> services, CancellationToken cancel)
    {
        var maps = new ConfigMapSet();
        var versions = new StringBuilder();
        var referenced = services.Where(Uses).Select(s => (Namespace: s.Metadata.NamespaceProperty, Name: s.Spec!.Profile!.ProfileRef!.ConfigMap!)).Distinct().Order();
        foreach (var (ns, name) in referenced)
        {
            try
            {
                var map = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancel);
                maps.Add(ns, name, map.Data is { } data ? new Dictionary<string, string>(data) : []);
                versions.Append(ns).Append('/').Append(name).Append('@').Append(map.Metadata.ResourceVersion).Append('\n');
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                versions.Append(ns).Append('/').Append(name).Append(" absent\n");
            }
        }

        return (maps, versions.ToString());
    }
}
