using System.Globalization;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Reads one value out of a server's Prometheus text exposition.</summary>
internal static class MetricsText
{
    /// <summary>The value of the first line that starts with <paramref name="series"/> (a name, or a name and the start of its labels), or null.</summary>
    public static double? Value(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>The sum over every line that starts with <paramref name="series"/> (all label values of a name); 0 when none.</summary>
    public static double Sum(string text, string series) =>
        text.Split('\n').Where(l => l.StartsWith(series, StringComparison.Ordinal)).Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    public static async Task<double?> ScrapeAsync(HttpClient metrics, string series) =>
        Value(await metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout(), series);
}
