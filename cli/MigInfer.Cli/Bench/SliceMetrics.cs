using System.Globalization;
using MigInfer.Cli.Local;

namespace MigInfer.Cli.Bench;

/// <summary>
/// Reads how many samples and executions each slice ran from its Prometheus endpoint
/// (<c>nv_inference_count</c>, <c>nv_inference_exec_count</c>), so a benchmark can show where the
/// ELSA routers placed its requests.
/// </summary>
internal static class SliceMetrics
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<Dictionary<LocalSlice, (double Samples, double Executions)>> ScrapeAsync(IEnumerable<LocalSlice> slices, CancellationToken cancellationToken)
    {
        var result = new Dictionary<LocalSlice, (double, double)>();
        foreach (var slice in slices)
        {
            var text = await Http.GetStringAsync($"http://{slice.Metrics}/metrics", cancellationToken);
            result[slice] = (Sum(text, "nv_inference_count"), Sum(text, "nv_inference_exec_count"));
        }

        return result;
    }

    /// <summary>Sums every sample of a metric family in Prometheus text exposition.</summary>
    public static double Sum(string exposition, string metric) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
}
