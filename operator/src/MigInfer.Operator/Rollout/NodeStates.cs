using System.Globalization;
using System.Text.Json;
using k8s.Models;
using MigInfer.Operator.Kube;

namespace MigInfer.Operator.Rollout;

/// <summary>Reads every node's MIG state from its labels and annotations and the operator's mig-parted ConfigMap.</summary>
internal static class NodeStates
{
    public static Dictionary<string, NodeMigState> Read(IEnumerable<V1Node> nodes, V1ConfigMap? config)
    {
        var layouts = Layouts(config);
        return nodes.ToDictionary(n => n.Metadata.Name, n =>
        {
            var name = n.Metadata.Label(WellKnown.MigConfig);
            var since = DateTimeOffset.TryParse(n.Metadata.Annotation(WellKnown.MigConfigSinceAnnotation), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) ? s : (DateTimeOffset?)null;
            var attempt = int.TryParse(n.Metadata.Annotation(WellKnown.MigConfigAttemptAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
            return new NodeMigState(n.Metadata.Name, name, n.Metadata.Label(WellKnown.MigConfigState), since, attempt,
                name is not null && layouts.TryGetValue(name, out var l) ? l : new Dictionary<int, string>());
        }, StringComparer.Ordinal);
    }

    public static Dictionary<string, IReadOnlyDictionary<int, string>> Layouts(V1ConfigMap? config)
    {
        var json = config?.Metadata.Annotation(WellKnown.LayoutsAnnotation);
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var parsed = JsonSerializer.Deserialize<Dictionary<string, Dictionary<int, string>>>(json) ?? [];
        return parsed.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<int, string>)kv.Value, StringComparer.Ordinal);
    }

    public static string LayoutsJson(IReadOnlyDictionary<string, IReadOnlyDictionary<int, string>> configs) =>
        JsonSerializer.Serialize(configs.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value.OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Value)));
}
