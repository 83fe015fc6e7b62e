using System.Diagnostics;
using System.Globalization;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Resources;
using MigInfer.Operator.Tests.Cluster;
using MigInfer.Operator.Tests.FakeApi;
using Prometheus;

namespace MigInfer.Operator.Bench;

/// <summary>
/// The operator's rollout at scale against the fake API server: N InferenceServices applied at once to a cluster
/// of nodes × GPUs whose MIG manager answers at once. Measures the time until every planned slice has its pod,
/// the operator's API requests per object it created, and the process's peak working set.
/// Usage: <c>[services] [nodes] [gpus per node] [solve limit s]</c>; defaults 100 64 8 4.
/// </summary>
internal static class RolloutBenchmark
{
    private static readonly KindInfo PodKind = KindInfo.Defaults.First(k => k.Kind == "Pod");
    private static readonly KindInfo PlanKind = KindInfo.Defaults.First(k => k.Kind == "MigPlan");

    public static async Task<int> RunAsync(string[] args)
    {
        var services = Arg(args, 0, 100);
        var nodes = Arg(args, 1, 64);
        var gpus = Arg(args, 2, 8);
        var limit = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 4;

        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        for (var i = 0; i < nodes; i++)
        {
            await client.CoreV1.CreateNodeAsync(TestServices.GpuNode($"gpu-{i:000}", gpus));
        }

        var plan = TestServices.Plan(maxGpusInFlight: nodes * gpus);
        plan.Spec!.SolveTimeLimitSeconds = limit;
        plan.Spec.RelativeGapLimit = 0.02;
        plan.Spec.DebounceSeconds = 1;
        await client.CustomObjects.CreateClusterCustomObjectAsync(plan, MigInferApi.Group, MigInferApi.Version, MigPlan.Plural);
        await using var mig = new FakeMigManager(server.Store, TimeSpan.Zero);
        await using var kubelet = new FakeKubelet(server.Store);

        using var operatorClient = server.CreateClient();
        var metrics = new OperatorMetrics(new CollectorRegistry());
        using var host = new OperatorHost(operatorClient, new OperatorOptions { LeaderElection = false }, new InformerOptions(), metrics, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => host.RunAsync(stop.Token));
        while (!host.Ready)
        {
            await Task.Delay(10);
        }

        GC.Collect();
        using var baselineProcess = Process.GetCurrentProcess();
        var baseline = baselineProcess.WorkingSet64;
        var before = server.TotalRequests;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, services).Select(i =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync<InferenceService>(
                TestServices.Service($"svc-{i:000}", 150 + (i % 10) * 120, ns: $"team-{i % 5}"), MigInferApi.Group, MigInferApi.Version, $"team-{i % 5}", InferenceService.Plural)));
        var applied = clock.Elapsed;
        var (planned, pods, planAt) = await WaitForPodsAsync(server, services, clock, TimeSpan.FromMinutes(2));
        var elapsed = clock.Elapsed;

        var operatorRequests = server.TotalRequests - before - services;
        var created = server.RequestCounts.Where(kv => kv.Key.StartsWith("create ", StringComparison.Ordinal) && kv.Key != "create InferenceService").Sum(kv => kv.Value);
        var status = server.Store.Get(PlanKind, "", MigPlan.DefaultName)["status"]!;
        Console.WriteLine($"services {services}, nodes {nodes} x {gpus} GPUs, planner limit {limit} s");
        Console.WriteLine($"planned slices {planned}, pods {pods}, GPUs used {status["gpusUsed"]}, solve {status["solveTimeMs"]} ms, gap {status["gap"]}");
        Console.WriteLine($"time until every pod exists: {elapsed.TotalSeconds:0.00} s (services applied after {applied.TotalSeconds:0.00} s, plan covering all in status after {planAt.TotalSeconds:0.00} s, rollout {(elapsed - planAt).TotalSeconds:0.00} s)");
        Console.WriteLine($"operator API requests: {operatorRequests} (watches and lists included) for {created} created objects: {(double)operatorRequests / created:0.00} per object");
        foreach (var (key, count) in server.RequestCounts.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine($"  {key,-28} {count,6}");
        }

        GC.Collect();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set (operator, fake API server and fakes in one process): {self.PeakWorkingSet64 / 1024.0 / 1024:0} MiB, of which before the services were applied {baseline / 1024.0 / 1024:0} MiB; managed heap after GC {GC.GetTotalMemory(true) / 1024.0 / 1024:0} MiB");
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
        return pods == planned && planned > 0 ? 0 : 1;
    }

    /// <summary>Until the plan covers every service and every planned slice has a pod (read from the store, so the wait costs no API requests).</summary>
    private static async Task<(int Planned, int Pods, TimeSpan PlanAt)> WaitForPodsAsync(FakeApiServer server, int services, Stopwatch clock, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        TimeSpan? planAt = null;
        var managed = LabelSelector.Parse(WellKnown.ManagedSelector);
        while (true)
        {
            var status = server.Store.Get(PlanKind, "", MigPlan.DefaultName)["status"];
            var planned = status?["gpus"]?.AsArray().Sum(g => g!["slices"]?.AsArray().Count(s => s?["service"] is not null) ?? 0) ?? 0;
            var covered = status?["services"]?.AsArray().Count + (status?["unmet"]?.AsArray().Count ?? 0);
            var pods = server.Store.List(PodKind, null, managed).Items.Count;
            planAt ??= covered >= services ? clock.Elapsed : null;
            if ((planned > 0 && covered >= services && pods == planned) || DateTime.UtcNow > deadline)
            {
                return (planned, pods, planAt ?? clock.Elapsed);
            }

            await Task.Delay(20);
        }
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
}
