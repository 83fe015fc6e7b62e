using System.Globalization;
using MigInfer.Cli.Local;

namespace MigInfer.Cli.Bench;

/// <summary>
/// Reads each slice's counters from its Prometheus endpoint: the samples and executions it ran
/// (<c>nv_inference_count</c>, <c>nv_inference_exec_count</c>), so a benchmark can show where the ELSA
/// routers placed its requests, and the client requests it judged against their deadline
/// (<c>miginfer_slo_requests_total</c>), the attainment the dashboard and the alerts read.
/// </summary>
internal static class SliceMetrics
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<Dictionary<LocalSlice, SliceCounts>> ScrapeAsync(IEnumerable<LocalSlice> slices, CancellationToken cancellationToken)
    {
        var result = new Dictionary<LocalSlice, SliceCounts>();
        foreach (var slice in slices)
        {
            var text = await Http.GetStringAsync($"http://{slice.Metrics}/metrics", cancellationToken);
            result[slice] = new SliceCounts(
                Sum(text, "nv_inference_count"),
                Sum(text, "nv_inference_exec_count"),
                Sum(text, "miginfer_slo_requests_total", "outcome=\"met\""),
                Sum(text, "miginfer_slo_requests_total"));
        }

        return result;
    }

    /// <summary>Sums every sample of a metric family in Prometheus text exposition, or those whose labels hold <paramref name="label"/>.</summary>
    public static double Sum(string exposition, string metric, string? label = null) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => label is null || line[..line.LastIndexOf(' ')].Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
}

/// <summary>One slice's counters at one moment.</summary>
internal sealed record SliceCounts(double Samples, double Executions, double SloMet, double SloJudged);
