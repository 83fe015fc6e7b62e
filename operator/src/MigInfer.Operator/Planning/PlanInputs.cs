using System.Globalization;
using System.Text;
using k8s;
using MigInfer.Operator.Nodes;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;
using MigInfer.Planning;

namespace MigInfer.Operator.Planning;

/// <summary>
/// The fingerprint of what a plan depends on: the planner policy, every live spec (and, when the planner uses
/// them, the observed latencies it would take), the versions of the ConfigMaps that specs take their profiles
/// from, and every participating node (name, product, GPU count, labels
/// outside nvidia.com/). Rollout progress (MIG labels, pods) does not change it, so a rollout never triggers a
/// re-plan of itself.
/// </summary>
internal static class PlanInputs
{
    public static string Fingerprint(PlanningPolicy policy, IEnumerable<InferenceService> services, IEnumerable<NodeReading> nodes, bool useObservedProfile = false, string profileVersions = "")
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"policy {policy.Beta} {policy.Rho} {policy.TimeLimit.TotalMilliseconds} {policy.RelativeGapLimit} {policy.GpuChangeWeight}");
        text.Append(useObservedProfile ? " observed\n" : "\n");
        foreach (var service in services.OrderBy(ServiceDemands.NameOf, StringComparer.Ordinal))
        {
            text.Append(ServiceDemands.NameOf(service)).Append('=').Append(KubernetesJson.Serialize(service.Spec)).Append('\n');
            if (useObservedProfile)
            {
                text.Append(KubernetesJson.Serialize(ServiceDemands.UsableObserved(service).ToList())).Append('\n');
            }
        }

        text.Append(profileVersions);
        foreach (var node in nodes.Where(n => n.Participates).OrderBy(n => n.Node, StringComparer.Ordinal))
        {
            var inventory = node.Inventory!;
            var labels = inventory.Labels.Where(l => !l.Key.StartsWith("nvidia.com/", StringComparison.Ordinal)).OrderBy(l => l.Key, StringComparer.Ordinal);
            text.Append(node.Node).Append(':').Append(inventory.GpuProduct).Append('x').Append(inventory.GpuCount)
                .Append(string.Join(',', labels.Select(l => $"{l.Key}={l.Value}"))).Append('\n');
        }

        return Names.Hash(text.ToString());
    }
}
