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

    [Fact]
    public async Task ObjectThisProcessDeleted_IsReportedGoneByARelistWhenItsWatchEventIsLost()
    {
        // No bookmarks: one could carry the informer past the hidden event's version, and its watch would resume without a relist.
        _server.BookmarkInterval = TimeSpan.FromHours(1);
        await CreateNode("deleted");
        var informer = Start();
        await informer.Synced.Within();
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.OnChange((old, now) => { if (now is null && old?.Metadata.Name == "deleted") { gone.TrySetResult(); } });

        _server.Faults.HideFromWatches(e => e.Type == "DELETED");
        await _client.CoreV1.DeleteNodeAsync("deleted").Within();
        informer.Cache.MarkDeleting(informer.Cache.Get("deleted")!, DateTimeOffset.UtcNow);
        _server.Store.Compact();
        _server.Faults.DropWatches();

        await gone.Task.Within();
        Assert.Null(informer.Cache.Get("deleted"));
    }

    [Fact]
    public async Task WatchRefusedWith410BeforeItsStream_ListsAgain()
    {
        _server.GoneBeforeTheStream = true;
        _server.BookmarkInterval = TimeSpan.FromHours(1);
        await CreateNode("before");
        var informer = Start();
        await informer.Synced.Within();

        // The informer never sees the node's creation, so the version it resumes from is compacted away.
        _server.Faults.HideFromWatches(e => true);
        await CreateNode("compacted-away");
        _server.Store.Compact();
        _server.Faults.DropWatches();
        await Timeouts.Eventually(() => Task.FromResult(_server.RequestCounts.GetValueOrDefault("list Node") >= 2), "a second list");
        _server.Faults.HideFromWatches(e => false);
        await CreateNode("after");

        await Timeouts.Eventually(() => Task.FromResult(informer.Cache.Get("compacted-away") is not null && informer.Cache.Get("after") is not null), "both nodes cached");
    }

    [Fact]
    public async Task UnexpectedErrorFromTheClient_IsRetriedLikeAnyOther()
    {
        await CreateNode("before");
        var nodes = new KubeApis(_client, WellKnown.ManagedSelector).Nodes;
        var failing = new ListFailsOnce<V1Node>(nodes, new InvalidOperationException("the client library's own bug"));

        var informer = Start(failing);
        await informer.Synced.Within();
        await CreateNode("after");

        await Timeouts.Eventually(() => Task.FromResult(informer.Cache.Get("after") is not null), "the informer lists again and watches");
        Assert.Equal(1, failing.Failures);
    }

    private Informer<V1Node> Start(IResourceApi<V1Node>? api = null)
    {
        api ??= new KubeApis(_client, WellKnown.ManagedSelector).Nodes;
        var options = new InformerOptions { ErrorBackoff = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)) };
        var informer = new Informer<V1Node>(api, options, new OperatorMetrics(new CollectorRegistry()), TimeProvider.System, NullLogger.Instance);
        _ = informer.RunAsync(_stop.Token);
        return informer;
    }

    private Task<V1Node> CreateNode(string name) => _client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } }).Within();

    /// <summary>The real API, except that the first list throws <paramref name="error"/>.</summary>
    private sealed class ListFailsOnce<T>(IResourceApi<T> inner, Exception error) : IResourceApi<T>
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        private int _lists;

        public int Failures { get; private set; }

        public string Kind => inner.Kind;

        public Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancel)
        {
            if (_lists++ == 0)
            {
                Failures++;
                throw error;
            }

            return inner.ListAsync(cancel);
        }

        public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError, CancellationToken cancel) =>
            inner.WatchAsync(resourceVersion, timeout, onError, cancel);

        public Task<T> CreateAsync(T obj, CancellationToken cancel) => inner.CreateAsync(obj, cancel);

        public Task<T> ReplaceAsync(T obj, CancellationToken cancel) => inner.ReplaceAsync(obj, cancel);

        public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancel) => inner.ReplaceStatusAsync(obj, cancel);

        public Task<T> PatchAsync(string? ns, string name, V1Patch patch, CancellationToken cancel) => inner.PatchAsync(ns, name, patch, cancel);

        public Task DeleteAsync(string? ns, string name, CancellationToken cancel) => inner.DeleteAsync(ns, name, cancel);
    }
}
