using System.Text.Json.Nodes;
using MigInfer.Operator.Tests.FakeApi;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>
/// The kubelet as the operator sees it: every new pod becomes Running and Ready with an IP of its own in 198.18.0.0/15
/// (reserved for benchmarks and not routed, so nothing real answers there; tests reach slice servers through
/// <c>FakeSliceServer</c>). With a <see cref="StopTime"/>, a deleted pod stays, marked for deletion, until its
/// containers have stopped, as through a real pod's grace period; the fake holds it with a finalizer of its own.
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private const string StoppingFinalizer = "fake.kubelet/containers-running";

    private static readonly KindInfo PodKind = KindInfo.Defaults.First(k => k.Kind == "Pod");
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _stopping = new(StringComparer.Ordinal);
    private readonly List<Task> _stops = [];
    private readonly Task _loop;
    private int _pods;

    public FakeKubelet(ResourceStore store)
    {
        var (channel, _) = store.Subscribe();
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in channel.Reader.ReadAllAsync(_stop.Token))
                {
                    if (e.Kind != PodKind)
                    {
                        continue;
                    }

                    if (e.Type == "ADDED")
                    {
                        Start(store, e, Interlocked.Increment(ref _pods));
                    }
                    else if (e.Type == "MODIFIED" && e.Object["metadata"]?["deletionTimestamp"] is not null && HoldsFinalizer(e.Object))
                    {
                        var name = (string)e.Object["metadata"]!["name"]!;
                        lock (_stopping)
                        {
                            if (_stopping.Add($"{e.Namespace}/{name}"))
                            {
                                _stops.Add(StopAsync(store, e.Namespace ?? "", name));
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                store.Unsubscribe(channel);
            }
        });
    }

    /// <summary>How long a deleted pod's containers take to stop; zero (the default) removes a deleted pod at once.</summary>
    public TimeSpan StopTime { get; set; }

    /// <summary>
    /// Server images whose container crashes at start with the given end of its log (its termination message under
    /// FallbackToLogsOnError): such a pod runs but is never ready, its server container in CrashLoopBackOff.
    /// </summary>
    public Dictionary<string, string> CrashingImages { get; } = new(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Task[] stops;
        lock (_stopping)
        {
            stops = [.. _stops];
        }

        await Task.WhenAll(stops);
        _stop.Dispose();
    }

    private static bool HoldsFinalizer(JsonObject pod) =>
        pod["metadata"]?["finalizers"] is JsonArray finalizers && finalizers.Any(f => (string?)f == StoppingFinalizer);

    private void Start(ResourceStore store, StoredEvent e, int n)
    {
        var name = (string)e.Object["metadata"]!["name"]!;
        try
        {
            if (StopTime > TimeSpan.Zero)
            {
                store.Patch(PodKind, e.Namespace ?? "", name, pod =>
                {
                    var meta = (JsonObject)pod["metadata"]!;
                    var finalizers = meta["finalizers"] as JsonArray ?? [];
                    finalizers.Add(StoppingFinalizer);
                    meta["finalizers"] = finalizers;
                    return pod;
                }, statusOnly: false);
            }

            var image = (string?)e.Object["spec"]?["containers"]?.AsArray().FirstOrDefault(c => (string?)c?["name"] == "server")?["image"];
            var crash = image is not null && CrashingImages.TryGetValue(image, out var log) ? log : null;
            store.Patch(PodKind, e.Namespace ?? "", name, pod =>
            {
                pod["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["podIP"] = $"198.18.{n / 250 % 250}.{n % 250 + 1}",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = crash is null ? "True" : "False" }),
                };
                if (crash is not null)
                {
                    pod["status"]!["containerStatuses"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "server",
                        ["ready"] = false,
                        ["restartCount"] = 3,
                        ["image"] = image,
                        ["imageID"] = "",
                        ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = "back-off 40s restarting failed container" } },
                        ["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["message"] = crash } },
                    });
                }

                return pod;
            }, statusOnly: true);
        }
        catch (ApiError)
        {
            // Deleted before it started.
        }
    }

    private async Task StopAsync(ResourceStore store, string ns, string name)
    {
        try
        {
            await Task.Delay(StopTime, _stop.Token);
            store.Patch(PodKind, ns, name, pod =>
            {
                var meta = (JsonObject)pod["metadata"]!;
                var kept = new JsonArray([.. ((JsonArray)meta["finalizers"]!).Where(f => (string?)f != StoppingFinalizer).Select(f => f?.DeepClone())]);
                meta["finalizers"] = kept;
                return pod;
            }, statusOnly: false);
        }
        catch (Exception e) when (e is OperationCanceledException or ApiError)
        {
        }
        finally
        {
            // A pod created later under the same name stops on its own deletion.
            lock (_stopping)
            {
                _stopping.Remove($"{ns}/{name}");
            }
        }
    }
}
