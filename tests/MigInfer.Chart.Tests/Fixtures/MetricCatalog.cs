using System.Text.RegularExpressions;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// The Prometheus series the product's code can export: every metric-shaped string literal in the source files of the
/// operator and the inference server that use prometheus-net (names reach the factory directly, through a helper or
/// a constant), plus the series a histogram or summary adds.
/// </summary>
internal static partial class MetricCatalog
{
    private static readonly string[] SourceFolders = ["operator/src", "inference-server/src"];

    private static readonly string[] DerivedSuffixes = ["_bucket", "_sum", "_count"];

    /// <summary>Series other exporters provide, which the dashboard joins with ours.</summary>
    public static IReadOnlySet<string> External { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
    };

    public static IReadOnlySet<string> Defined { get; } = Scan();

    /// <summary>The base metric of a series: the name itself, or a histogram's name for its _bucket, _sum and _count.</summary>
    public static IEnumerable<string> Bases(string series) =>
        DerivedSuffixes.Where(s => series.EndsWith(s, StringComparison.Ordinal)).Select(s => series[..^s.Length]).Prepend(series);

    private static HashSet<string> Scan()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in SourceFolders.SelectMany(folder => RepoPaths.Sources(folder, "*.cs")))
        {
            var text = File.ReadAllText(file);
            if (!text.Contains("Prometheus", StringComparison.Ordinal))
            {
                continue;
            }

            names.UnionWith(MetricLiteral().Matches(text).Select(m => m.Groups["name"].Value));
        }

        return names;
    }

    [GeneratedRegex("\"(?<name>[a-z][a-z0-9]*(_[a-z0-9]+)+)\"")]
    private static partial Regex MetricLiteral();
}
