using System.Collections;

namespace MigInfer.Operator.Hosting;

/// <summary>
/// Maps the environment variables the Helm chart sets (charts/miginfer/templates/deployment.yaml) onto the
/// <c>Operator</c> configuration section, so the chart and <see cref="OperatorOptions"/> share one vocabulary.
/// Durations arrive in seconds.
/// </summary>
internal static class ChartEnvironment
{
    private static readonly (string Variable, string Key, bool Seconds)[] Map =
    [
        ("MIGINFER_HEALTH_PORT", nameof(OperatorOptions.HealthPort), false),
        ("MIGINFER_METRICS_PORT", nameof(OperatorOptions.MetricsPort), false),
        ("MIGINFER_LEADER_ELECTION", nameof(OperatorOptions.LeaderElection), false),
        ("MIGINFER_LEASE_NAME", nameof(OperatorOptions.LeaseName), false),
        ("MIGINFER_LEASE_NAMESPACE", nameof(OperatorOptions.LeaseNamespace), false),
        ("MIGINFER_LEASE_DURATION_SECONDS", nameof(OperatorOptions.LeaseDuration), true),
        ("MIGINFER_RENEW_DEADLINE_SECONDS", nameof(OperatorOptions.RenewDeadline), true),
        ("MIGINFER_RETRY_PERIOD_SECONDS", nameof(OperatorOptions.RetryPeriod), true),
        ("MIGINFER_SLICE_PROBE_INTERVAL_SECONDS", nameof(OperatorOptions.SliceProbeInterval), true),
        ("MIGINFER_SERVER_IMAGE", nameof(OperatorOptions.ServerImage), false),
        ("MIGINFER_SERVER_IMAGE_PULL_POLICY", nameof(OperatorOptions.ServerImagePullPolicy), false),
        ("POD_NAME", nameof(OperatorOptions.Identity), false),
        ("POD_NAMESPACE", nameof(OperatorOptions.LeaseNamespace), false),
    ];

    /// <summary>Configuration entries (<c>Operator:Key</c>) for the chart's variables that are set.</summary>
    public static Dictionary<string, string?> Read(IDictionary environment)
    {
        var entries = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key, seconds) in Map)
        {
            if (environment[variable] is not string value || value.Length == 0)
            {
                continue;
            }

            var target = $"{OperatorOptions.Section}:{key}";
            if (variable == "POD_NAMESPACE" && entries.ContainsKey(target))
            {
                continue;
            }

            entries[target] = seconds ? TimeSpan.FromSeconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).ToString("c") : value;
        }

        return entries;
    }
}
