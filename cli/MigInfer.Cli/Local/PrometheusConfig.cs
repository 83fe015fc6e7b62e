using System.Globalization;
using System.Text;

namespace MigInfer.Cli.Local;

/// <summary>
/// A Prometheus configuration for a running local mode: every slice server's <c>/metrics</c> with the labels the
/// chart's PodMonitor gives slice pods in a cluster (<c>namespace</c>, <c>pod</c>, <c>miginfer_io_service</c>,
/// <c>_profile</c>, <c>_node</c>, <c>_gpu</c>), and the chart's alert rules when this checkout has them, so the
/// dashboard's queries and the alerts work without a cluster. Local mode has no operator and no GPU, so the operator's
/// panels stay empty and <c>MigInferOperatorDown</c> and <c>MigInferSliceOnCpu</c> fire.
/// </summary>
internal static class PrometheusConfig
{
    private const string RulesFile = "charts/miginfer/alerts/miginfer.rules.yaml";

    public static string FilePath => Path.Combine(LocalState.Home, "prometheus.yml");

    /// <summary>Writes the configuration for <paramref name="state"/> and returns its path.</summary>
    public static string Write(LocalState state)
    {
        Directory.CreateDirectory(LocalState.Home);
        File.WriteAllText(FilePath, Render(state, FindRules(state.Folder, AppContext.BaseDirectory)));
        return FilePath;
    }

    public static string Render(LocalState state, string? rulesFile)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"# Written by miginfer local up (pid {state.Pid}) for {state.Folder}: prometheus --config.file={FilePath}");
        yaml.AppendLine("global:");
        yaml.AppendLine("  scrape_interval: 5s");
        yaml.AppendLine("  evaluation_interval: 5s");
        if (rulesFile is not null)
        {
            yaml.AppendLine("rule_files:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {Quote(rulesFile)}");
        }

        yaml.AppendLine("scrape_configs:");
        yaml.AppendLine("  - job_name: miginfer-slices");
        yaml.AppendLine("    static_configs:");
        foreach (var service in state.Services)
        {
            var slash = service.Name.IndexOf('/', StringComparison.Ordinal);
            var (ns, name) = slash < 0 ? ("default", service.Name) : (service.Name[..slash], service.Name[(slash + 1)..]);
            foreach (var slice in service.Slices)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - targets: [{Quote(slice.Metrics)}]");
                yaml.AppendLine("        labels:");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          namespace: {Quote(ns)}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          pod: {Quote($"{name}-{slice.Profile}-{slice.Node}-{slice.Gpu}-{slice.Start}")}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          miginfer_io_service: {Quote(name)}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          miginfer_io_profile: {Quote(slice.Profile)}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          miginfer_io_node: {Quote(slice.Node)}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"          miginfer_io_gpu: {Quote(slice.Gpu.ToString(CultureInfo.InvariantCulture))}");
            }
        }

        return yaml.ToString();
    }

    /// <summary>The chart's rules file of the checkout above the local folder or above this program, if either is in one.</summary>
    internal static string? FindRules(params string[] starts)
    {
        foreach (var start in starts)
        {
            for (var folder = new DirectoryInfo(Path.GetFullPath(start)); folder is not null; folder = folder.Parent)
            {
                var rules = Path.Combine(folder.FullName, RulesFile);
                if (File.Exists(rules))
                {
                    return rules;
                }
            }
        }

        return null;
    }

    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
