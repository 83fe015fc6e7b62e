using System.Globalization;
using System.Text;

namespace MigInfer.Operator.Rollout;

/// <summary>
/// NVIDIA mig-parted's file format: <c>version: v1</c> and one named configuration per node, each GPU
/// its own device entry with MIG enabled and profile counts (mig-parted takes counts, not positions).
/// Output is deterministic so unchanged layouts render unchanged bytes.
/// </summary>
internal static class MigPartedConfig
{
    /// <summary>Renders all named configurations; each maps GPU index to layout key.</summary>
    public static string Render(IReadOnlyDictionary<string, IReadOnlyDictionary<int, string>> configs)
    {
        var text = new StringBuilder("version: v1\nmig-configs:\n");
        foreach (var (name, gpus) in configs.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name}:\n");
            foreach (var (index, layout) in gpus.OrderBy(g => g.Key))
            {
                var counts = GpuLayout.Parse(layout).GroupBy(s => s.Profile).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"\"{g.Key}\": {g.Count().ToString(CultureInfo.InvariantCulture)}");
                text.Append(CultureInfo.InvariantCulture, $"    - devices: [{index}]\n      mig-enabled: true\n      mig-devices: {{{string.Join(", ", counts)}}}\n");
            }
        }

        return text.ToString();
    }
}
