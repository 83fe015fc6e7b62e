using System.Globalization;
using System.Text;
using Grpc.Core;

namespace MigInfer.Cli.Bench;

/// <summary>
/// Writes a benchmark as SVG: latency of every request over time (failures in red, the SLO as a line)
/// beside the latency CDF of successful requests.
/// </summary>
internal static class SvgPlot
{
    private const int Width = 1000, Height = 400, Margin = 50, Panel = (Width - (3 * Margin)) / 2;

    public static string Render(BenchReport report, IReadOnlyCollection<RequestRecord> records)
    {
        var ok = records.Where(r => r.Status == StatusCode.OK).ToList();
        var maxLatency = Math.Max(report.SloMs * 1.2, ok.Count == 0 ? 1 : ok.Max(r => r.LatencyMs));
        var maxTime = Math.Max(1, records.Count == 0 ? 1 : records.Max(r => r.SentMs));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin}\" y=\"20\" font-size=\"14\">{Escape(report.Service)}: {report.RateRps} rps, sizes {Escape(report.Sizes)}; p50 {report.P50Ms} ms, p99 {report.P99Ms} ms, SLO attainment {report.SloAttainment:P1}</text>");

        // Latency over time.
        Axes(svg, Margin, "time (s)", "latency (ms)", maxTime / 1000, maxLatency);
        foreach (var r in records)
        {
            var x = Margin + (r.SentMs / maxTime * Panel);
            var y = Y(Math.Min(r.LatencyMs, maxLatency), maxLatency);
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"1.5\" fill=\"{(r.Status == StatusCode.OK ? "#1f77b4" : "#d62728")}\"/>");
        }

        SloLine(svg, Margin, report.SloMs, maxLatency);

        // CDF of successful latencies.
        var left = (2 * Margin) + Panel;
        Axes(svg, left, "latency (ms)", "fraction of requests", maxLatency, 1);
        var sorted = ok.Select(r => r.LatencyMs).Order().ToArray();
        if (sorted.Length > 0)
        {
            var points = sorted.Select((l, i) => $"{left + (l / maxLatency * Panel):0.#},{Y((i + 1.0) / sorted.Length, 1):0.#}");
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
        }

        var sloX = left + (report.SloMs / maxLatency * Panel);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{sloX:0.#}\" y1=\"{Margin}\" x2=\"{sloX:0.#}\" y2=\"{Height - Margin}\" stroke=\"#2ca02c\" stroke-dasharray=\"4\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double Y(double value, double max) => Height - Margin - (value / max * (Height - (2 * Margin)));

    private static void SloLine(StringBuilder svg, int left, double slo, double max)
    {
        var y = Y(slo, max);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + Panel}\" y2=\"{y:0.#}\" stroke=\"#2ca02c\" stroke-dasharray=\"4\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + Panel - 60}\" y=\"{y - 4:0.#}\" fill=\"#2ca02c\">SLO {slo:0.#} ms</text>");
    }

    private static void Axes(StringBuilder svg, int left, string xLabel, string yLabel, double xMax, double yMax)
    {
        var bottom = Height - Margin;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{left + Panel}\" y2=\"{bottom}\" stroke=\"black\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Margin}\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"black\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (Panel / 2) - 30}\" y=\"{bottom + 35}\">{xLabel}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 40}\" y=\"{Margin - 10}\">{yLabel}</text>");
        for (var i = 0; i <= 4; i++)
        {
            var x = left + (i * Panel / 4.0);
            var y = bottom - (i * (Height - (2 * Margin)) / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x - 10:0.#}\" y=\"{bottom + 15}\">{xMax * i / 4:0.##}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 45}\" y=\"{y + 4:0.#}\">{yMax * i / 4:0.##}</text>");
        }
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
