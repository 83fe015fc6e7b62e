using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MigInfer.InferenceServer.Device;
using MigInfer.InferenceServer.Tests.Device;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

/// <summary><c>GET /v2/slice</c> on a real server over loopback, with the device environment injected (never set process-wide).</summary>
public sealed class SliceReportTests
{
    private const string Model = ModelZoo.TinyMlp;
    private const string Path = "/v2/slice";

    [Fact]
    public async Task SequentialRequests_AppearPerBatchBucketWithTheirExecutionCounts()
    {
        var options = RunningServer.OptionsFor(Model) with { ModelVersion = "7", SliceProfile = "3g.20gb" };
        await using var server = await RunningServer.StartAsync(options, NoGpu);

        var before = await ReportAsync(server);
        Assert.Equal((Model, "7", "3g.20gb", "cpu", true), (Str(before, "model"), Str(before, "version"), Str(before, "sliceProfile"), Str(before, "executionProvider"), before.GetProperty("ready").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("device").ValueKind);
        // The server's own warm-up requests are measured executions too.
        Assert.Equal([(1, RunningServer.WarmUpRequests)], Points(before));

        const int Singles = 5, Fours = 3;
        for (var i = 0; i < Singles; i++)
        {
            await InferAsync(server, 1);
        }

        for (var i = 0; i < Fours; i++)
        {
            await InferAsync(server, 4);
        }

        var after = await ReportAsync(server);
        var observed = after.GetProperty("observedProfile").EnumerateArray().ToArray();
        Assert.Equal([(1, RunningServer.WarmUpRequests + Singles), (4, Fours)], Points(after));
        Assert.All(observed, p => Assert.True(p.GetProperty("ms").GetDouble() > 0));
        Assert.All(observed, p => Assert.InRange(p.GetProperty("errorPct").GetDouble(), 0, double.MaxValue));
        Assert.Equal(Singles + Fours, await ExecutionsAsync(server));

        // The same profile is a Prometheus series, in seconds, per bucket.
        foreach (var point in observed)
        {
            var series = $"miginfer_observed_latency_seconds{{model=\"{Model}\",version=\"7\",GPU_I_PROFILE=\"3g.20gb\",batch=\"{point.GetProperty("batch").GetInt32()}\"}} ";
            Assert.Equal(point.GetProperty("ms").GetDouble() / 1000, await server.MetricAsync(series) ?? double.NaN, 4);
        }
    }

    [Fact]
    public async Task ModelStillDownloading_AnswersNotReadyWithAnEmptyProfile()
    {
        await using var files = await ModelFileServer.StartAsync(await File.ReadAllBytesAsync(ModelFiles.PathOf(Model)), held: true);
        var options = RunningServer.OptionsFor(Model) with { ModelPath = files.Url.ToString(), ModelCacheDirectory = Scratch.NewFolder("model-cache") };
        await using var server = await RunningServer.StartAsync(options, NoGpu, waitForModel: false);

        var report = await ReportAsync(server);

        Assert.False(report.GetProperty("ready").GetBoolean());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("executionProvider").ValueKind);
        Assert.Equal(0, report.GetProperty("observedProfile").GetArrayLength());
        files.Release();
        await server.App.ModelLoading.WithTimeout();
        Assert.True((await ReportAsync(server)).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task MigDeviceWithoutNvml_ReportsTheDeviceWithTheOverriddenIndex()
    {
        const string Mig = "MIG-4f5e0c3a-1b2c-5d6e-8f90-123456789abc";
        var environment = new Dictionary<string, string?> { [VisibleDevices.Variable] = Mig, [SliceDeviceProbe.GpuIndexVariable] = "3" };
        await using var server = await RunningServer.StartAsync(
            RunningServer.OptionsFor(Model),
            s => s.AddSingleton(new SliceDeviceProbe(environment.GetValueOrDefault, FakeNvmlReader.Missing())));

        var device = (await ReportAsync(server)).GetProperty("device");

        Assert.Equal(
            """{"visibleDevices":"MIG-4f5e0c3a-1b2c-5d6e-8f90-123456789abc","migUuid":"MIG-4f5e0c3a-1b2c-5d6e-8f90-123456789abc","gpuUuid":null,"gpuIndex":3,"gpuInstanceId":null}""",
            device.GetRawText());
    }

    /// <summary>A test machine's own NVIDIA_VISIBLE_DEVICES must not leak into the report.</summary>
    private static void NoGpu(IServiceCollection services) =>
        services.AddSingleton(new SliceDeviceProbe(_ => null, new FakeNvmlReader(available: false)));

    private static string? Str(JsonElement report, string property) => report.GetProperty(property).GetString();

    /// <summary>The report's observed profile as (batch bucket, executions).</summary>
    private static (int Batch, int Samples)[] Points(JsonElement report) =>
        [.. report.GetProperty("observedProfile").EnumerateArray().Select(p => (p.GetProperty("batch").GetInt32(), p.GetProperty("samples").GetInt32()))];

    private static async Task<JsonElement> ReportAsync(RunningServer server)
    {
        var (status, body) = await Requests.GetAsync(server.Http, Path);
        Assert.Equal(200, status);
        return body;
    }

    private static async Task InferAsync(RunningServer server, int batch)
    {
        var data = new JsonArray([.. Enumerable.Range(0, batch * 4).Select(i => JsonValue.Create((float)i))]);
        var (status, body) = await Requests.PostAsync(server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [batch, 4], data));
        Assert.True(status == 200, body.GetRawText());
    }

    private static async Task<int> ExecutionsAsync(RunningServer server) => (int)(await server.MetricAsync("nv_inference_exec_count{") ?? 0);
}
