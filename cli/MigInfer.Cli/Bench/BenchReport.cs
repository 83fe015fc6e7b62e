using Grpc.Core;

namespace MigInfer.Cli.Bench;

/// <summary>
/// What a benchmark measured: throughput, latency percentiles of successful requests, SLO attainment
/// over all arrivals, requests shed (RESOURCE_EXHAUSTED), answered late (DEADLINE_EXCEEDED: the server
/// dropped them once their deadline could not be met) and failed (any other error), and what the servers
/// themselves judged of the same requests (<see cref="Server"/>).
/// </summary>
internal sealed record BenchReport(
    string Service,
    double RateRps,
    double DurationSeconds,
    string Sizes,
    int Sent,
    int NotSent,
    int Succeeded,
    int Shed,
    int Late,
    int Failed,
    double ThroughputRps,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double SloMs,
    double SloAttainment,
    IReadOnlyList<ProfileShare> Profiles,
    IReadOnlyList<SizeRouting> Routing,
    ServerJudgement Server)
{
    public static BenchReport From(string service, double rate, TimeSpan duration, string sizes, double sloMs, IReadOnlyCollection<RequestRecord> records, int notSent, IReadOnlyList<ProfileShare> profiles, ServerJudgement server)
    {
        var ok = records.Where(r => r.Status == StatusCode.OK).Select(r => r.LatencyMs).Order().ToArray();
        var lastFinish = records.Count == 0 ? duration.TotalMilliseconds : records.Max(r => r.SentMs + r.LatencyMs);
        return new BenchReport(
            service,
            rate,
            duration.TotalSeconds,
            sizes,
            records.Count,
            notSent,
            ok.Length,
            records.Count(r => r.Status == StatusCode.ResourceExhausted),
            records.Count(r => r.Status == StatusCode.DeadlineExceeded),
            records.Count(r => r.Status is not (StatusCode.OK or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded)),
            Math.Round(ok.Length / (Math.Max(lastFinish, duration.TotalMilliseconds) / 1000), 1),
            Percentile(ok, 0.50),
            Percentile(ok, 0.95),
            Percentile(ok, 0.99),
            sloMs,
            records.Count + notSent == 0 ? 0 : Math.Round((double)ok.Count(l => l <= sloMs) / (records.Count + notSent), 4),
            profiles,
            [.. records.Where(r => r.Profile is not null)
                .GroupBy(r => (r.Size, r.Profile))
                .OrderBy(g => g.Key.Size).ThenByDescending(g => g.Key.Profile, StringComparer.Ordinal)
                .Select(g => new SizeRouting(g.Key.Size, g.Key.Profile!, g.Count()))],
            server);
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when there are none.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 2);
}

/// <summary>
/// The bench's requests as the servers counted them in <c>miginfer_slo_requests_total</c>: judged (once each, at the
/// slice that received it) and met (answered by its deadline, timed at the server rather than at the client).
/// </summary>
internal sealed record ServerJudgement(double Met, double Judged)
{
    public double Attainment => Judged == 0 ? 0 : Math.Round(Met / Judged, 4);
}
