using k8s;
using k8s.Models;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Tests.FakeApi;
using MigInfer.Operator.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace MigInfer.Operator.Tests.Controllers;

public sealed class InformerTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Created = ["during-drop", "after-compaction", "after-errors"];
    private FakeApiServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync().Within();
        _server.BookmarkInterval = TimeSpan.FromMilliseconds(50);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task ListThenWatch_CacheFollowsCreatesUpdatesAndDeletes()
    {
        await CreateNode("before");
        var informer = Start();
        await informer.Synced.Within();

        await CreateNode("after");
        await _client.CoreV1.PatchNodeAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"1\"}}}", V1Patch.PatchType.MergePatch), "before").Within();
        await _client.CoreV1.DeleteNodeAsync("after").Within();

        await Timeouts.Eventually(() => Task.FromResult(informer.Cache.Get("before")?.Metadata.Labels?.ContainsKey("x") == true && informer.Cache.Get("after") is null), "cache catches up");
        Assert.Equal(["before"], informer.Cache.List().Select(n => n.Metadata.Name));
    }

    [Fact]
    public async Task DroppedWatchAndGone_LoseNoEvent()
    {
        var informer = Start();
        await informer.Synced.Within();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        informer.OnChange((_, now) => { if (now is not null) { seen.Add(now.Metadata.Name); } });

        _server.Faults.DropWatches();
        await CreateNode("during-drop");
        _server.Faults.DropWatches();
        _server.Store.Compact();
        await CreateNode("after-compaction");
        _server.Faults.FailNext(2, 500, r => r.Verb is "list" or "watch");
        _server.Faults.DropWatches();
        await CreateNode("after-errors");

        await Timeouts.Eventually(() => Task.FromResult(Created.All(seen.Contains)), "every node seen");
        Assert.Equal(3, informer.Cache.Count);
    }

    private Informer<V1Node> Start()
    {
        var apis = new KubeApis(_client, WellKnown.ManagedSelector);
        var options = new InformerOptions { ErrorBackoff = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)) };
        var informer = new Informer<V1Node>(apis.Nodes, options, new OperatorMetrics(new CollectorRegistry()), TimeProvider.System, NullLogger.Instance);
        _ = informer.RunAsync(_stop.Token);
        return informer;
    }

    private Task<V1Node> CreateNode(string name) => _client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } }).Within();
}
