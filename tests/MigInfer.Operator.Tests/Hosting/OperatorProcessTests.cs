using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MigInfer.Operator.Tests.Cluster;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.Operator.Tests.Fixtures;
using Xunit.Abstractions;

namespace MigInfer.Operator.Tests.Hosting;

/// <summary>The operator's own executable (Program.cs) with the chart's environment, against the fake cluster.</summary>
public sealed class OperatorProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OperatorProcess_ServesHealthReadinessAndMetrics_LogsJson_AndMakesAServiceReady()
    {
        await using var cluster = await TestCluster.StartAsync(nodes: 1, gpus: 1);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"miginfer-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: fake, cluster: {"{"}server: "{cluster.Server.BaseAddress}"{"}"}{"}"}]
            users: [{"{"}name: operator, user: {"{"}token: fake{"}"}{"}"}]
            contexts: [{"{"}name: fake, context: {"{"}cluster: fake, user: operator{"}"}{"}"}]
            current-context: fake
            """);
        var (health, metrics) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet", [OperatorDll()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["POD_NAME"] = "operator-process";
        start.Environment["POD_NAMESPACE"] = "miginfer-system";
        start.Environment["MIGINFER_HEALTH_PORT"] = health.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["MIGINFER_METRICS_PORT"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["MIGINFER_LEADER_ELECTION"] = "true";
        start.Environment["MIGINFER_LEASE_NAME"] = "miginfer-operator";
        start.Environment["MIGINFER_SERVER_IMAGE"] = "registry.example/server:test";
        var lines = new List<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Timeouts.Eventually(async () => await StatusAsync(http, $"http://127.0.0.1:{health}/readyz") == HttpStatusCode.OK, "/readyz answers 200", TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, $"http://127.0.0.1:{health}/healthz"));

            await cluster.ApplyAsync(TestServices.Service("resnet", rps: 100));
            await cluster.ReadyAsync("resnet", TimeSpan.FromSeconds(60));

            var exported = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metrics}/metrics")).Within();
            Assert.Contains("miginfer_operator_leader 1", exported, StringComparison.Ordinal);
            Assert.Contains("miginfer_plan_gpus_used 1", exported, StringComparison.Ordinal);
            Assert.All(await cluster.PodsAsync(), pod => Assert.Contains("registry.example/server:test", pod.Spec.Containers[0].Image, StringComparison.Ordinal));
            lock (lines)
            {
                Assert.NotEmpty(lines);
                Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
            }

            // A real Prometheus (OpenMetrics first) scrapes the metrics port of an operator that has reconciled.
            await using var prometheus = RealPrometheus.TryStart($"127.0.0.1:{metrics}");
            if (prometheus is null)
            {
                output.WriteLine("no prometheus here: the scrape by a real Prometheus was not checked (CI requires it)");
            }
            else
            {
                var target = Assert.Single(await prometheus.ScrapedTargetsAsync());
                Assert.True(target.Health == "up", $"{target.Url}: {target.Health}: {target.Error}");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().Within();
            File.Delete(kubeconfig);
            lock (lines)
            {
                lines.ForEach(output.WriteLine);
            }
        }
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The operator built beside this test (same configuration), from its own output folder with its runtimeconfig.</summary>
    internal static string OperatorDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "operator", "src", "MigInfer.Operator", "bin", configuration, "net10.0", "MigInfer.Operator.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build operator/src/MigInfer.Operator first");
        return dll;
    }
}
