using System.Diagnostics;
using Grpc.Core;
using MigInfer.Cli.Client;
using MigInfer.Cli.Rendering;
using MigInfer.InferenceServer.Protocol;
using MigInfer.Planning;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;
using MigInfer.Planning.Plans;
using Spectre.Console;

namespace MigInfer.Cli.Local;

/// <summary>
/// <c>miginfer local up</c>: plans a simulated cluster with the real planner, starts one real server
/// process per planned slice on loopback, wires each service's slices as peers, publishes the
/// endpoints, restarts a slice that dies, and stops every process it started when cancelled.
/// </summary>
internal sealed class LocalRun(LocalFolder folder, MigPlanResult plan, IReadOnlyList<SliceProcess> slices)
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public static async Task<int> UpAsync(LocalOptions options, CancellationToken cancellationToken)
    {
        if (LocalState.ReadRunning() is { } running)
        {
            Console.Error.WriteLine($"miginfer local up: local mode is already up for {running.Folder} (pid {running.Pid}, state {LocalState.FilePath}); stop it with Ctrl-C in its terminal first");
            return ExitCodes.BadInput;
        }

        LocalRun run;
        try
        {
            run = Prepare(options);
        }
        catch (Exception e) when (e is DocumentException or PlanningInputException)
        {
            Console.Error.WriteLine($"miginfer local up: {e.Message}");
            return ExitCodes.BadInput;
        }

        return await run.RunAsync(options, cancellationToken);
    }

    private static LocalRun Prepare(LocalOptions options)
    {
        var catalog = GpuCatalog.Default;
        var folder = LocalFolder.Read(options.Folder, catalog);
        folder.EnsureModels(options.ModelScale, Console.Out);
        var policy = new PlanningPolicy { TimeLimit = options.TimeLimit };
        var plan = new CpSatPlanner(catalog).Plan(new PlanningProblem(folder.Inventory, [.. folder.Services.Select(s => s.Demand)], policy));
        if (!plan.Unmet.IsEmpty)
        {
            var u = plan.Unmet[0];
            var file = folder.Services.First(s => s.Demand.Name == u.Service).File;
            throw new DocumentException($"{file}: InferenceService {u.Service}: {(u.Field is null ? "" : u.Field + ": ")}{u.Message}; nothing was started");
        }

        var owned = plan.Gpus.SelectMany(g => g.Slices.Where(s => s.Service is not null).Select(s => (Gpu: g, Slice: s))).ToList();
        var ports = PortAllocator.Allocate(3 * owned.Count, options.BasePort);
        var grpc = owned.Select((_, i) => ports[(3 * i) + 1]).ToList();
        var logs = Path.Combine(LocalState.Home, "logs");
        var server = LocalOptions.ServerAssembly;
        var launches = owned.Select((o, i) =>
        {
            var spec = folder.Services.First(s => s.Demand.Name == o.Slice.Service);
            var peers = owned.Select((p, j) => (p, j)).Where(x => x.j != i && x.p.Slice.Service == o.Slice.Service).Select(x => $"127.0.0.1:{grpc[x.j]}").ToList();
            var product = catalog.Products.First(p => p.Name == o.Gpu.Product);
            var compute = product.FindProfile(o.Slice.Profile)!.ComputeSlices;
            var threads = Math.Max(1, (int)Math.Round(Environment.ProcessorCount * compute / (double)product.ComputeSlices));
            var profileFile = WriteProfileFile(spec, product);
            var launch = new SliceLaunch(spec, o.Slice.Profile, o.Gpu.Node, o.Gpu.Index, o.Slice.Start, ports[3 * i], grpc[i], ports[(3 * i) + 2], peers, threads, profileFile);
            var log = Path.Combine(logs, $"{spec.ModelName}-{o.Slice.Profile}-{o.Gpu.Node}-{o.Gpu.Index}-{o.Slice.Start}.log");
            return new SliceProcess(launch, server, log);
        }).ToList();
        return new LocalRun(folder, plan, launches);
    }

    /// <summary>
    /// Writes the service's latency table for the slice's GPU product as the server's profile file
    /// (<c>profile: {batch: ms}</c>), so every server's router predicts its own and its peers' slices
    /// from the numbers the plan used; null when the service has no table for the product.
    /// </summary>
    private static string? WriteProfileFile(LocalServiceSpec spec, GpuProduct product)
    {
        if (CapacityModel.TableFor(spec.Demand, product) is not { } table)
        {
            return null;
        }

        var folder = Path.Combine(LocalState.Home, "profiles");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{spec.ModelName}-{product.Name}.yaml");
        var lines = table.Points
            .GroupBy(p => p.Profile)
            .Select(g => $"\"{g.Key}\": {{{string.Join(", ", g.OrderBy(p => p.Batch).Select(p => FormattableString.Invariant($"{p.Batch}: {p.Milliseconds:R}")))}}}");
        File.WriteAllLines(path, lines);
        return path;
    }

    private async Task<int> RunAsync(LocalOptions options, CancellationToken cancellationToken)
    {
        try
        {
            AnsiConsole.MarkupLine($"starting {slices.Count} slice servers (logs in {Markup.Escape(Path.Combine(LocalState.Home, "logs"))})");
            foreach (var slice in slices)
            {
                slice.Start();
            }

            await Task.WhenAll(slices.Select(s => s.WaitReadyAsync(options.ReadyTimeout, cancellationToken)));
            PlanTable.Write(plan, [.. folder.Services.Select(s => s.Demand)]);
            WriteEndpoints();
            var state = State();
            await WarmUpAsync(state, cancellationToken);
            state.Write();
            Console.WriteLine($"metrics of every slice, with the chart's labels and alerts: prometheus --config.file={PrometheusConfig.Write(state)}");
            AnsiConsole.MarkupLine("[green]ready[/]: try [bold]miginfer infer --service <name>[/] or [bold]miginfer bench --service <name> --rate 50 --duration 10s[/]; Ctrl-C stops");
            await SuperviseAsync(options, cancellationToken);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"miginfer local up: {e.Message}");
            return ExitCodes.Unmet;
        }
        finally
        {
            await Task.WhenAll(slices.Select(s => s.StopAsync(StopGrace)));
            foreach (var slice in slices)
            {
                slice.Dispose();
            }

            if (LocalState.ReadRunning()?.Pid == Environment.ProcessId)
            {
                LocalState.Delete();
            }

            Console.WriteLine($"stopped {slices.Count} slice servers");
        }
    }

    /// <summary>Restarts any slice whose process exits, with a growing pause while it keeps failing.</summary>
    private async Task SuperviseAsync(LocalOptions options, CancellationToken cancellationToken)
    {
        var failures = slices.ToDictionary(s => s, _ => 0);
        var exits = slices.ToDictionary(s => s.WaitForExitAsync(cancellationToken), s => s);
        while (true)
        {
            var exited = await Task.WhenAny(exits.Keys);
            cancellationToken.ThrowIfCancellationRequested();
            var slice = exits[exited];
            exits.Remove(exited);
            var pause = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures[slice])));
            Console.WriteLine($"{DateTime.Now:HH:mm:ss} {slice.Launch.Title} exited with code {slice.ExitCode}; restarting in {pause.TotalSeconds:0} s (log {slice.LogPath})");
            await Task.Delay(pause, cancellationToken);
            slice.Start();
            try
            {
                await slice.WaitReadyAsync(options.ReadyTimeout, cancellationToken);
                failures[slice] = 0;
                Console.WriteLine($"{DateTime.Now:HH:mm:ss} {slice.Launch.Title} restarted (pid {slice.Pid})");
                State().Write();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                failures[slice]++;
                Console.WriteLine($"{DateTime.Now:HH:mm:ss} {slice.Launch.Title} failed to restart: {e.Message.Split('\n')[0]}");
            }

            exits[slice.WaitForExitAsync(cancellationToken)] = slice;
        }
    }

    /// <summary>
    /// Sends every slice server one request of one sample and waits for the answers, whatever they are. A server
    /// warms its own request paths before it says ready, but not forwarding to its peers, which it has not met yet:
    /// a large slice forwards a single sample to a small one, so both ends of forwarding are warmed here, and with
    /// the example models' own input shapes. They count in the servers' metrics like any other request (bench
    /// reads differences).
    /// </summary>
    private static async Task WarmUpAsync(LocalState state, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var sent = 0;
        foreach (var service in state.Services)
        {
            using var endpoints = ServiceEndpoints.Of(service);
            try
            {
                var metadata = await endpoints.Clients[0].ModelMetadataAsync(new ModelMetadataRequest { Name = service.Model }, cancellationToken: cancellationToken);
                var factory = new RequestFactory(metadata, SequenceLengths.Fixed(16), seed: 0);
                var requests = endpoints.Clients.Select(client => (Client: client, Request: factory.Create(1))).ToList();
                await Task.WhenAll(requests.Select(r => SendAsync(r.Client, r.Request, cancellationToken)));
                sent += requests.Count;
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("stopped during the warm-up", e, cancellationToken);
            }
            catch (RpcException e)
            {
                Console.WriteLine($"warm-up of {service.Name} stopped: {e.StatusCode}: {e.Status.Detail}");
            }
        }

        Console.WriteLine($"warmed up {state.Services.Sum(s => s.Slices.Count)} slice servers with {sent} requests in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task SendAsync(GRPCInferenceService.GRPCInferenceServiceClient client, ModelInferRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await client.ModelInferAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // Shed, late or refused: the server still took the path a request takes.
        }
    }

    private LocalState State() => new(
        Environment.ProcessId,
        Path.GetFullPath(folder.Path),
        DateTimeOffset.Now,
        [.. folder.Services.Select(s => new LocalService(
            s.Demand.Name,
            s.ModelName,
            s.Demand.SloMs,
            s.Demand.MaxBatchSize,
            [.. slices.Where(x => x.Launch.Service == s).Select(x => new LocalSlice(
                x.Launch.Profile, x.Launch.Node, x.Launch.Gpu, x.Launch.Start,
                $"127.0.0.1:{x.Launch.HttpPort}", $"127.0.0.1:{x.Launch.GrpcPort}", $"127.0.0.1:{x.Launch.MetricsPort}", x.Pid))]))]);

    private void WriteEndpoints()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Endpoints[/]");
        table.AddColumns("service", "slice", "gRPC", "HTTP", "metrics", "pid");
        foreach (var s in slices)
        {
            table.AddRow(Markup.Escape(s.Launch.Service.Demand.Name), $"{s.Launch.Profile} {s.Launch.Node}/{s.Launch.Gpu}@{s.Launch.Start}",
                $"127.0.0.1:{s.Launch.GrpcPort}", $"http://127.0.0.1:{s.Launch.HttpPort}/v2", $"http://127.0.0.1:{s.Launch.MetricsPort}/metrics", s.Pid.ToString());
        }

        AnsiConsole.Write(table);
    }
}
