using System.Text.Json.Nodes;
using MigInfer.Operator.Tests.FakeApi;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>The kubelet as the operator sees it: every new pod becomes Running and Ready.</summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private static readonly KindInfo PodKind = KindInfo.Defaults.First(k => k.Kind == "Pod");
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

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
                        MarkReady(store, e);
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

    private static void MarkReady(ResourceStore store, StoredEvent e)
    {
        try
        {
            store.Patch(PodKind, e.Namespace ?? "", (string)e.Object["metadata"]!["name"]!, pod =>
            {
                pod["status"] = new JsonObject
                {
                    ["phase"] = "Running",
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
