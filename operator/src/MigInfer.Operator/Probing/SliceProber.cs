using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Hosting;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Reconcilers;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Probing;

/// <summary>
/// Asks every Running and Ready slice pod with an IP for <c>GET /v2/slice</c> (soon after it becomes ready, then once per
/// interval, a bounded number at a time, each with a short timeout) and keeps the last report in <see cref="SliceReports"/>.
/// From a report it writes the pod's <c>miginfer.io/mig-device</c> annotation when that differs (one merge patch; the only
/// API call it makes besides a <c>SliceDeviceMoved</c> event, once per pod, when the device contradicts the pod's gpu label),
/// and wakes the pod's InferenceService when the report changed. A server that does not answer is asked again one
/// interval later; nothing waits for it.
/// </summary>
internal sealed class SliceProber(
    ClusterState cluster,
    EventRecorder events,
    HttpClient http,
    SliceProbeOptions options,
    Func<V1Pod, Uri> address,
    TimeProvider time,
    ILogger logger,
    Action<string> serviceChanged) : IDisposable
{
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, PodProbe> _pods = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary><c>http://{podIP}:8000/v2/slice</c>.</summary>
    public static Uri DefaultAddress(V1Pod pod)
    {
        var ip = pod.Status!.PodIP!;
        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new Uri($"http://{host}:{SlicePodRenderer.HttpPort.ToString(CultureInfo.InvariantCulture)}/v2/slice");
    }

    /// <summary>A slice pod changed: look again now rather than at the next due probe.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public void Dispose() => _wake.Dispose();

    public async Task RunAsync(CancellationToken cancel)
    {
        using var slots = new SemaphoreSlim(options.Concurrency);
        var running = new List<Task>();
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                var wait = Schedule(slots, running, cancel);
                try
                {
                    await _wake.WaitAsync(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), cancel);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    /// <summary>Starts the probes that are due, forgets pods that are gone; returns how long until the next is due.</summary>
    private TimeSpan Schedule(SemaphoreSlim slots, List<Task> running, CancellationToken cancel)
    {
        var now = time.GetUtcNow();
        var next = now + options.Interval;
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in cluster.Pods.Cache.List())
        {
            if (pod.Metadata.Label(WellKnown.Component) != "slice")
            {
                continue;
            }

            var key = ObjectCache<V1Pod>.KeyOf(pod);
            live.Add(key);
            if (!Probeable(pod))
            {
                continue;
            }

            if (!_pods.TryGetValue(key, out var probe) || probe.Uid != pod.Metadata.Uid)
            {
                probe = _pods[key] = new PodProbe(pod.Metadata.Uid, now);
            }

            if (probe.Busy)
            {
                continue;
            }

            if (probe.Due <= now)
            {
                probe.Busy = true;
                running.Add(ProbeAsync(pod, probe, slots, cancel));
            }
            else if (probe.Due < next)
            {
                next = probe.Due;
            }
        }

        foreach (var gone in _pods.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _pods.Remove(gone);
            cluster.Reports.Forget(gone);
        }

        return next - now;
    }

    private static bool Probeable(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase == "Running" && !string.IsNullOrEmpty(pod.Status.PodIP) && ServiceStatusBuilder.IsReady(pod);

    private async Task ProbeAsync(V1Pod pod, PodProbe probe, SemaphoreSlim slots, CancellationToken cancel)
    {
        try
        {
            await slots.WaitAsync(cancel);
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                limit.CancelAfter(options.Timeout);
                SliceReport? report;
                try
                {
                    report = await http.GetFromJsonAsync<SliceReport>(address(pod), limit.Token);
                }
                catch (Exception e) when (!cancel.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or JsonException or NotSupportedException)
                {
                    logger.SliceProbeFailed(ObjectCache<V1Pod>.KeyOf(pod), e.Message);
                    return;
                }

                if (report is not null)
                {
                    await AcceptAsync(pod, probe, report, cancel);
                }
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        finally
        {
            probe.Due = time.GetUtcNow() + options.Interval;
            probe.Busy = false;
        }
    }

    private async Task AcceptAsync(V1Pod pod, PodProbe probe, SliceReport report, CancellationToken cancel)
    {
        if (cluster.Reports.Put(pod, report) && pod.Metadata.Label(WellKnown.ServiceLabel) is { } service)
        {
            serviceChanged(ObjectCache<InferenceService>.KeyOf(pod.Metadata.NamespaceProperty, service));
        }

        if (report.MigDevice is not { } device)
        {
            return;
        }

        // The API calls get their own bound, so a stuck request cannot keep this pod from being asked again.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(ApiTimeout);
        try
        {
            if (pod.Metadata.Annotation(WellKnown.MigDeviceAnnotation) != device)
            {
                var patch = new { metadata = new { annotations = new Dictionary<string, string> { [WellKnown.MigDeviceAnnotation] = device } } };
                var patched = await cluster.Apis.Pods.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name,
                    new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), limit.Token);
                cluster.Pods.Cache.Observe(patched);
            }

            var labelled = pod.Metadata.Label(WellKnown.GpuLabel);
            var reported = report.Device!.GpuIndex!.Value.ToString(CultureInfo.InvariantCulture);
            if (labelled != reported && !probe.MoveReported)
            {
                probe.MoveReported = true;
                await events.RecordAsync(EventRecorder.Reference(pod), "Normal", "SliceDeviceMoved",
                    $"labelled GPU {labelled} on {pod.Metadata.Label(WellKnown.NodeLabel)}, but the device plugin gave it GPU {reported} ({report.Device.MigUuid ?? "MIG UUID unknown"}); rollouts follow the GPU it runs on", limit.Token);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted since it answered.
        }
        catch (Exception e) when (!cancel.IsCancellationRequested && e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            logger.SliceDeviceNotRecorded(ObjectCache<V1Pod>.KeyOf(pod), e.Message);
        }
    }

    /// <summary>When a pod is next due; written by the schedule loop and by the probe it started, never both at once.</summary>
    private sealed class PodProbe(string? uid, DateTimeOffset due)
    {
        public string? Uid { get; } = uid;

        public DateTimeOffset Due { get; set; } = due;

        public volatile bool Busy;

        public bool MoveReported { get; set; }
    }
}
