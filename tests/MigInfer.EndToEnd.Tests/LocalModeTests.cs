using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using MigInfer.EndToEnd.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.EndToEnd.Tests;

public sealed partial class LocalModeTests
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(240);
    private static readonly int[] InputShape = [2, 4];

    [Fact]
    public async Task LocalMode_ServesCorrectAnswersMetricsAndLoadThenStopsWithNothingLeft()
    {
        await using var local = LocalMode.Start("localmode");
        await local.WaitReadyAsync(Ready);

        // The plan gave the service several slices, each its own server process.
        int[] pids;
        using (var state = local.State())
        {
            var slices = state.RootElement.GetProperty("services")[0].GetProperty("slices").EnumerateArray().ToList();
            Assert.True(slices.Count >= 2, $"expected a heterogeneous plan, got {slices.Count} slice(s):\n{local.Output}");
            Assert.Contains(slices, s => s.GetProperty("profile").GetString() == "3g.20gb");
            pids = [.. slices.Select(s => s.GetProperty("pid").GetInt32())];
            // Warmed up before ready: every server has answered the request local up sent it.
            using var http = new HttpClient();
            foreach (var slice in slices)
            {
                var metrics = await http.GetStringAsync($"http://{slice.GetProperty("metrics").GetString()}/metrics");
                var answered = metrics.Split('\n')
                    .Where(line => line.StartsWith("nv_inference_request_success{", StringComparison.Ordinal) || line.StartsWith("nv_inference_request_failure{", StringComparison.Ordinal))
                    .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
                Assert.True(answered >= 1, $"slice {slice} answered {answered} requests before ready:\n{local.Output}");
            }

            // A Prometheus configuration scrapes every slice with the chart's labels and loads the chart's alerts.
            var prometheus = File.ReadAllText(Path.Combine(local.Home, "prometheus.yml"));
            Assert.All(slices, slice => Assert.Contains($"targets: [\"{slice.GetProperty("metrics").GetString()}\"]", prometheus, StringComparison.Ordinal));
            Assert.Contains("charts/miginfer/alerts/miginfer.rules.yaml", prometheus, StringComparison.Ordinal);
            Assert.Contains($"prometheus --config.file={Path.Combine(local.Home, "prometheus.yml")}", local.Output, StringComparison.Ordinal);
        }

        Assert.All(pids, pid => Assert.True(ProcessTable.IsAlive(pid)));

        // One request with known inputs: the answer equals the tiny MLP evaluated here.
        float[] x = [0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 3f];
        File.WriteAllText(Path.Combine(local.Folder, "in.json"), JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "input", shape = InputShape, datatype = "FP32", data = x } },
        }));
        var infer = await InferAsync(local, "--service", "tiny", "--input", "in.json", "--values", "6");
        Assert.True(infer.ExitCode == 0, infer.Out + infer.Err);
        var weights = ModelZoo.BuildTinyMlp(seed: 0).Weights;
        float[] expected = [.. weights.Evaluate(x.AsSpan(0, 4)), .. weights.Evaluate(x.AsSpan(4, 4))];
        var values = Output().Match(infer.Out);
        Assert.True(values.Success, infer.Out);
        var actual = values.Groups[1].Value.Split(", ").Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 4);
        }

        // Open-loop load with small and with large requests: everything answered.
        foreach (var sizes in new[] { "fixed:1", "fixed:8" })
        {
            var bench = await local.Cli("bench", "--service", "e2e/tiny", "--rate", "30", "--duration", "3s", "--sizes", sizes, "--json");
            Assert.True(bench.ExitCode == 0, bench.Out + bench.Err);
            using var report = JsonDocument.Parse(bench.Out);
            var root = report.RootElement;
            // Every arrival was answered; on a busy CI machine some may be shed or dropped late, none may fail.
            Assert.Equal(0, root.GetProperty("failed").GetInt32());
            Assert.Equal(root.GetProperty("sent").GetInt32(), root.GetProperty("succeeded").GetInt32() + root.GetProperty("shed").GetInt32() + root.GetProperty("late").GetInt32());
            Assert.True(root.GetProperty("succeeded").GetInt32() > 30, bench.Out);

            // The servers judged every request once, at the slice the client called, forwarded or not; what they
            // call met (timed at the server) is at most what succeeded.
            var server = root.GetProperty("server");
            Assert.Equal(root.GetProperty("sent").GetInt32(), server.GetProperty("judged").GetDouble());
            Assert.InRange(server.GetProperty("met").GetDouble(), 1, root.GetProperty("succeeded").GetInt32());
            var samples = root.GetProperty("profiles").EnumerateArray().Sum(p => p.GetProperty("samples").GetDouble());
            Assert.Equal(root.GetProperty("succeeded").GetInt32() * (sizes == "fixed:1" ? 1 : 8), samples);

            // Routing by size: every answer names the slice that ran it; large requests never run on 1g
            // (too slow for them), small ones run mostly on 1g (the smallest slice that meets the deadline).
            var routing = root.GetProperty("routing").EnumerateArray()
                .ToDictionary(r => r.GetProperty("profile").GetString()!, r => r.GetProperty("requests").GetInt32());
            Assert.Equal(root.GetProperty("succeeded").GetInt32(), routing.Values.Sum());
            var onSmall = routing.GetValueOrDefault("1g.5gb");
            if (sizes == "fixed:8")
            {
                Assert.True(onSmall == 0, $"{onSmall} requests of 8 samples ran on 1g: {bench.Out}");
            }
            else
            {
                Assert.True(onSmall * 2 > routing.Values.Sum(), $"single samples should run mostly on 1g: {bench.Out}");
            }
        }

        // A second local mode on the same home says so instead of clashing.
        var second = await local.Cli("local", "up", local.Folder);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("local mode is already up", second.Err);

        // Ctrl-C stops every server it started and removes the published state.
        Assert.Equal(0, await local.StopAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("stopped", local.Output);
        Assert.False(File.Exists(Path.Combine(local.Home, "local.json")));
        Assert.All(pids, pid => Assert.False(ProcessTable.IsAlive(pid), $"slice server {pid} still runs"));
    }

    [Fact]
    public async Task SliceServerThatDies_IsRestarted()
    {
        await using var local = LocalMode.Start("localmode");
        await local.WaitReadyAsync(Ready);
        int victim;
        using (var state = local.State())
        {
            victim = state.RootElement.GetProperty("services")[0].GetProperty("slices")[0].GetProperty("pid").GetInt32();
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", victim.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!local.Output.Contains(" restarted (pid ", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.Contains("exited with code", local.Output);
        Assert.Contains(" restarted (pid ", local.Output);
        var infer = await InferAsync(local, "--service", "tiny", "--batch", "2");
        Assert.True(infer.ExitCode == 0, infer.Out + infer.Err);
        Assert.Equal(0, await local.StopAsync(TimeSpan.FromSeconds(60)));
    }

    public static TheoryData<string, string> BadFolders => new()
    {
        { "no-inventory", "expected one file with a ClusterInventory" },
        { "no-services", "no InferenceService found" },
        { "unsatisfiable", "spec.slo.latencyMs = 2" },
        { "missing-model", "spec.model.storageUri = file://models/resnet18.onnx" },
    };

    [Theory]
    [MemberData(nameof(BadFolders))]
    public async Task BadFolder_ExitsWithTwoAndStartsNothing(string problem, string expected)
    {
        await using var local = LocalMode.Start("localmode", folder =>
        {
            var service = Path.Combine(folder, "tiny.yaml");
            switch (problem)
            {
                case "no-inventory": File.Delete(Path.Combine(folder, "cluster.yaml")); break;
                case "no-services": File.Delete(service); break;
                case "unsatisfiable": File.WriteAllText(service, File.ReadAllText(service).Replace("latencyMs: 40", "latencyMs: 2")); break;
                default: File.WriteAllText(service, File.ReadAllText(service).Replace("tiny_mlp.onnx", "resnet18.onnx")); break;
            }
        });

        Assert.Equal(2, await local.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains(expected, local.Output);
        Assert.DoesNotContain("   at ", local.Output);
        Assert.Empty(ProcessTable.Mentioning(local.Folder));
    }

    [Fact]
    public async Task PortInUse_ExitsWithTwoAndStartsNothing()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            await using var local = LocalMode.Start("localmode", null, "--base-port", (port - 1).ToString(CultureInfo.InvariantCulture));

            Assert.Equal(2, await local.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            Assert.Contains($"port {port} is in use", local.Output);
            Assert.Empty(ProcessTable.Mentioning(local.Folder));
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// <c>miginfer infer</c>, asked again when a cold server on a busy machine dropped the request for
    /// missing its 40 ms SLO (DEADLINE_EXCEEDED) or shed it: that is the server keeping its promise.
    /// </summary>
    private static async Task<(int ExitCode, string Out, string Err)> InferAsync(LocalMode local, params string[] args)
    {
        var result = await local.Cli(["infer", .. args]);
        for (var attempt = 1; attempt < 5 && result.ExitCode == 1 && Regex.IsMatch(result.Err, "DeadlineExceeded|ResourceExhausted"); attempt++)
        {
            result = await local.Cli(["infer", .. args]);
        }

        return result;
    }

    [GeneratedRegex(@"output FP32 \[2,3\]: \[([^\]]*)\]")]
    private static partial Regex Output();
}
