using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MigInfer.Operator.Probing;
using MigInfer.Operator.Tests.FakeApi;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>
/// Every slice pod's inference server as the operator's prober sees it: one in-process Kestrel app on 127.0.0.1 that
/// answers <c>GET /{namespace}/{pod}/v2/slice</c> from the pod in the fake API server (its profile from the
/// environment, its GPU from its label), unless a test says the device plugin gave the pod another GPU
/// (<see cref="RunsOn"/>), sets its measured latencies (<see cref="Measures"/>), or makes a service's servers unreachable (<see cref="Refuse"/>).
/// </summary>
internal sealed class FakeSliceServer : IAsyncDisposable
{
    private static readonly KindInfo PodKind = KindInfo.Defaults.First(k => k.Kind == "Pod");
    private readonly WebApplication _app;
    private readonly ResourceStore _store;
    private readonly ConcurrentDictionary<string, int> _gpus = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ObservedPoint[]> _profiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);
    private Uri _base = null!;

    private FakeSliceServer(WebApplication app, ResourceStore store)
    {
        _app = app;
        _store = store;
    }

    /// <summary>A port nothing listens on: connecting is refused at once.</summary>
    public int ClosedPort { get; private set; }

    public static async Task<FakeSliceServer> StartAsync(ResourceStore store)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeSliceServer(app, store);
        app.MapGet("/{ns}/{pod}/v2/slice", (string ns, string pod) => server.Report(ns, pod));
        await app.StartAsync();
        server._base = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        server.ClosedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        return server;
    }

    /// <summary>The address seam the operator probes through: this server, or the closed port for a refused pod. Counts every probe.</summary>
    public Uri AddressOf(V1Pod pod)
    {
        var name = pod.Metadata.Name;
        _asked.AddOrUpdate(name, 1, (_, n) => n + 1);
        return pod.Metadata.Labels?.TryGetValue(WellKnown.ServiceLabel, out var service) == true && _refused.ContainsKey(service)
            ? new Uri($"http://127.0.0.1:{ClosedPort.ToString(CultureInfo.InvariantCulture)}/v2/slice")
            : new Uri(_base, $"{pod.Metadata.NamespaceProperty}/{name}/v2/slice");
    }

    /// <summary>How many times the operator has probed the pod, answered or not.</summary>
    public int Asked(string pod) => _asked.GetValueOrDefault(pod);

    /// <summary>The device plugin gave <paramref name="pod"/> a MIG device on GPU <paramref name="gpu"/>, whatever its label says.</summary>
    public void RunsOn(string pod, int gpu) => _gpus[pod] = gpu;

    /// <summary>What the pod's server reports as measured.</summary>
    public void Measures(string pod, params ObservedPoint[] points) => _profiles[pod] = points;

    /// <summary>The servers of the InferenceService's slices refuse connections (or, with false, answer again).</summary>
    public void Refuse(string service, bool refuse = true)
    {
        if (refuse)
        {
            _refused[service] = true;
        }
        else
        {
            _refused.TryRemove(service, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Report(string ns, string name)
    {
        JsonObject pod;
        try
        {
            pod = _store.Get(PodKind, ns, name);
        }
        catch (ApiError)
        {
            return Results.NotFound();
        }

        var labels = pod["metadata"]!["labels"]!;
        var env = pod["spec"]!["containers"]![0]!["env"]!.AsArray();
        var gpu = _gpus.TryGetValue(name, out var moved) ? moved : int.Parse((string)labels[WellKnown.GpuLabel]!, CultureInfo.InvariantCulture);
        var mig = $"MIG-{labels[WellKnown.NodeLabel]}-{gpu.ToString(CultureInfo.InvariantCulture)}-{labels[WellKnown.StartLabel]}";
        return Results.Json(new SliceReport
        {
            Model = (string?)labels[WellKnown.ServiceLabel],
            Version = "1",
            SliceProfile = env.Where(e => (string?)e!["name"] == "MIGINFER_SLICE_PROFILE").Select(e => (string?)e!["value"]).FirstOrDefault(),
            ExecutionProvider = "cuda",
            Ready = true,
            Device = new SliceDevice { VisibleDevices = mig, MigUuid = mig, GpuUuid = $"GPU-{labels[WellKnown.NodeLabel]}-{gpu.ToString(CultureInfo.InvariantCulture)}", GpuIndex = gpu, GpuInstanceId = 1 },
            ObservedProfile = _profiles.GetValueOrDefault(name) ?? [],
        });
    }
}
