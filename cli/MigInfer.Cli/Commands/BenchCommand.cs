using System.CommandLine;
using Grpc.Core;
using System.Text.Json;
using MigInfer.Cli.Bench;
using MigInfer.Cli.Client;
using MigInfer.InferenceServer.Protocol;
using Spectre.Console;

namespace MigInfer.Cli.Commands;

/// <summary>
/// <c>miginfer bench</c>: open-loop Poisson load with a request-size distribution against a local-mode
/// service; prints throughput, latency percentiles, SLO attainment, shed and failed requests, and
/// where the slices' routers placed the work.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "service name (name or namespace/name)", Required = true };
        var rate = new Option<double>("--rate") { Description = "mean arrival rate, requests per second", Required = true };
        var duration = new Option<string>("--duration") { Description = "how long to send, e.g. 30s", DefaultValueFactory = _ => "10s" };
        var sizes = new Option<string>("--sizes") { Description = "request sizes: fixed:N, lognormal:median,sigma[,max] or size:weight,...", DefaultValueFactory = _ => "fixed:1" };
        var concurrency = new Option<int>("--concurrency") { Description = "most requests in flight; arrivals beyond are not sent", DefaultValueFactory = _ => 256 };
        var svg = new Option<string?>("--svg") { Description = "write latency over time and its CDF to this SVG file" };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var seed = new Option<int>("--seed") { Description = "seed of arrivals, sizes and inputs", DefaultValueFactory = _ => 1 };
        var sequence = new Option<string>("--sequence") { Description = "length of variable non-batch dimensions: N, or MIN-MAX for a length drawn per request", DefaultValueFactory = _ => "16" };
        var command = new Command("bench", "Drive open-loop Poisson load at a local-mode service") { service, rate, duration, sizes, concurrency, svg, json, seed, sequence };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                if (!Durations.TryParse(parse.GetValue(duration)!, out var length))
                {
                    throw new FormatException($"--duration {parse.GetValue(duration)} is not a duration such as 30s");
                }

                if (parse.GetValue(rate) <= 0 || parse.GetValue(concurrency) < 1)
                {
                    throw new FormatException($"--rate {parse.GetValue(rate)} must be positive and --concurrency {parse.GetValue(concurrency)} at least 1");
                }

                return await RunAsync(parse.GetValue(service)!, parse.GetValue(rate), length, SizeDistribution.Parse(parse.GetValue(sizes)!),
                    parse.GetValue(concurrency), parse.GetValue(svg), parse.GetValue(json), parse.GetValue(seed), SequenceLengths.Parse(parse.GetValue(sequence)!), cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or HttpRequestException)
            {
                Console.Error.WriteLine($"miginfer bench: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (RpcException e)
            {
                // The service's servers did not answer (stopped, restarting): not a crash, and not bad input.
                Console.Error.WriteLine($"miginfer bench: {e.StatusCode}: {e.Status.Detail}");
                return ExitCodes.Unmet;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string serviceName, double rate, TimeSpan duration, SizeDistribution sizes, int concurrency, string? svgPath, bool json, int seed, SequenceLengths sequence, CancellationToken cancellationToken)
    {
        using var endpoints = ServiceEndpoints.Open(serviceName);
        var service = endpoints.Service;
        var metadata = await endpoints.Next().ModelMetadataAsync(new ModelMetadataRequest { Name = service.Model }, cancellationToken: cancellationToken);
        var requests = new RequestFactory(metadata, sequence, seed);
        var generator = new LoadGenerator(endpoints, requests, sizes, requests.Batched ? service.MaxBatchSize : 1, rate, duration, concurrency, seed);
        var before = await SliceMetrics.ScrapeAsync(service.Slices, cancellationToken);
        if (json || Console.IsOutputRedirected)
        {
            await generator.RunAsync(_ => { }, cancellationToken);
        }
        else
        {
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"{service.Name} at {rate} rps for {duration.TotalSeconds:0} s");
                await generator.RunAsync(f => task.Value = Math.Min(100, f * 100), cancellationToken);
            });
        }

        var after = await SliceMetrics.ScrapeAsync(service.Slices, cancellationToken);
        var profiles = service.Slices.GroupBy(s => s.Profile)
            .Select(g => new ProfileShare(g.Key, g.Count(), g.Sum(s => after[s].Samples - before[s].Samples), g.Sum(s => after[s].Executions - before[s].Executions)))
            .OrderByDescending(p => p.Profile, StringComparer.Ordinal)
            .ToList();
        var judged = new ServerJudgement(
            service.Slices.Sum(s => after[s].SloMet - before[s].SloMet),
            service.Slices.Sum(s => after[s].SloJudged - before[s].SloJudged));
        var report = BenchReport.From(service.Name, rate, duration, sizes.Text, service.SloMs, generator.Records, generator.NotSent, profiles, judged);
        if (svgPath is not null)
        {
            await File.WriteAllTextAsync(svgPath, SvgPlot.Render(report, generator.Records), cancellationToken);
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            Print(report, svgPath);
        }

        return ExitCodes.Ok;
    }

    private static void Print(BenchReport r, string? svgPath)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(r.Service)}[/]: {r.RateRps} rps open loop, sizes {Markup.Escape(r.Sizes)}, {r.DurationSeconds:0.#} s");
        table.AddColumns("throughput", "p50", "p95", "p99", "SLO attainment", "sent", "ok", "shed", "late", "failed", "not sent");
        table.AddRow($"{r.ThroughputRps} rps", $"{r.P50Ms} ms", $"{r.P95Ms} ms", $"{r.P99Ms} ms", $"{r.SloAttainment:P1} (≤ {r.SloMs:0.#} ms)",
            r.Sent.ToString(), r.Succeeded.ToString(), r.Shed.ToString(), r.Late.ToString(), r.Failed.ToString(), r.NotSent.ToString());
        AnsiConsole.Write(table);
        Console.WriteLine($"the servers judged {r.Server.Judged:0} of these requests: {r.Server.Attainment:P1} met their deadline (miginfer_slo_requests_total, what the dashboard and alerts read)");
        var spread = new Table().Border(TableBorder.Rounded).Title("[bold]where the routers ran the work[/]");
        spread.AddColumns("profile", "slices", "samples", "executions", "mean batch");
        foreach (var p in r.Profiles)
        {
            spread.AddRow(p.Profile, p.Slices.ToString(), $"{p.Samples:0}", $"{p.Executions:0}", $"{p.MeanBatch}");
        }

        AnsiConsole.Write(spread);
        if (r.Routing.Count > 0)
        {
            var profiles = r.Routing.Select(x => x.Profile).Distinct().OrderByDescending(p => p, StringComparer.Ordinal).ToList();
            var routing = new Table().Border(TableBorder.Rounded).Title("[bold]requests by size and the slice that ran them[/]");
            routing.AddColumn("size");
            profiles.ForEach(p => routing.AddColumn(p));
            foreach (var size in r.Routing.GroupBy(x => x.Size))
            {
                routing.AddRow([size.Key.ToString(), .. profiles.Select(p => size.FirstOrDefault(x => x.Profile == p)?.Requests.ToString() ?? "0")]);
            }

            AnsiConsole.Write(routing);
        }
        if (svgPath is not null)
        {
            Console.WriteLine($"plot: {svgPath}");
        }
    }
}
