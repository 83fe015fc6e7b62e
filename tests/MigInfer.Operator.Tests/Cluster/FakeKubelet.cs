using System.Text.Json.Nodes;
using MigInfer.Operator.Tests.FakeApi;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>
/// The kubelet as the operator sees it: every new pod becomes Running and Ready with an IP of its own in 198.18.0.0/15
/// (reserved for benchmarks and not routed, so nothing real answers there; tests reach slice servers through
/// <c>FakeSliceServer</c>).
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private static readonly KindInfo PodKind = KindInfo.Defaults.First(k => k.Kind == "Pod");
    private readonly CancellationTokenSource _stop = new();
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
                    if (e.Kind == PodKind && e.Type == "ADDED")
                    {
                        MarkReady(store, e, Interlocked.Increment(ref _pods));
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static void MarkReady(ResourceStore store, StoredEvent e, int n)
    {
        try
        {
            store.Patch(PodKind, e.Namespace ?? "", (string)e.Object["metadata"]!["name"]!, pod =>
            {
                pod["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["podIP"] = $"198.18.{n / 250 % 250}.{n % 250 + 1}",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
                };
                return pod;
            }, statusOnly: true);
        }
        catch (ApiError)
        {
            // Deleted before it started.
        }
    }
}
