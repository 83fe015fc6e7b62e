using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MigInfer.Operator.Tests.Fixtures;

namespace MigInfer.Operator.Tests.FakeApi;

public sealed class FakeApiServerTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync().Within();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CreateGetListDelete_RoundTripThroughTheRealClient()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("a", "web"), "ns").Within();
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("b", "db"), "ns").Within();
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("c", "web"), "other").Within();

        var got = await _client.CoreV1.ReadNamespacedPodAsync("a", "ns").Within();
        var web = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app=web").Within();
        var notWeb = await _client.CoreV1.ListNamespacedPodAsync("ns", labelSelector: "app!=web").Within();
        var inSet = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app in (db, cache)").Within();
        await _client.CoreV1.DeleteNamespacedPodAsync("a", "ns").Within();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodAsync("a", "ns").Within());

        Assert.Equal("ns", got.Metadata.NamespaceProperty);
        Assert.False(string.IsNullOrEmpty(got.Metadata.Uid));
        Assert.Equal(["a", "c"], web.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], notWeb.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], inSet.Items.Select(p => p.Metadata.Name));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task UpdateWithStaleResourceVersion_Returns409()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cfg" } }, "ns").Within();
        created.Data = new Dictionary<string, string> { ["k"] = "1" };
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cfg", "ns").Within();
        created.Data["k"] = "2";

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cfg", "ns").Within());
        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cfg" } }, "ns").Within());

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Equal("1", (await _client.CoreV1.ReadNamespacedConfigMapAsync("cfg", "ns").Within()).Data["k"]);
    }

    [Fact]
    public async Task StatusSubresource_SeparatesSpecFromStatusAndBumpsGenerationOnSpecOnly()
    {
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "web"), "ns").Within();
        pod.Status = new V1PodStatus { Phase = "Running" };
        var afterMain = await _client.CoreV1.ReplaceNamespacedPodAsync(pod, "p", "ns").Within();
        var phaseAfterMain = afterMain.Status?.Phase;
        afterMain.Status = new V1PodStatus { Phase = "Running" };
        var afterStatus = await _client.CoreV1.ReplaceNamespacedPodStatusAsync(afterMain, "p", "ns").Within();
        afterStatus.Spec.NodeName = "n1";
        var afterSpec = await _client.CoreV1.ReplaceNamespacedPodAsync(afterStatus, "p", "ns").Within();

        Assert.Null(phaseAfterMain);
        Assert.Equal("Running", afterStatus.Status.Phase);
        Assert.Equal(1, afterStatus.Metadata.Generation);
        Assert.Equal(2, afterSpec.Metadata.Generation);
        Assert.Equal("Running", afterSpec.Status.Phase);
    }

    [Fact]
    public async Task Finalizers_HoldDeletionUntilRemoved_AndOwnersCollectDependents()
    {
        var owner = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "owner", Finalizers = ["x/y"] } }, "ns").Within();
        var child = Pod("child", "web");
        child.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }];
        await _client.CoreV1.CreateNamespacedPodAsync(child, "ns").Within();

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "ns").Within();
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("owner", "ns").Within();
        marked.Metadata.Finalizers = [];
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "owner", "ns").Within();

        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Empty((await _client.CoreV1.ListNamespacedConfigMapAsync("ns").Within()).Items);
        Assert.Empty((await _client.CoreV1.ListNamespacedPodAsync("ns").Within()).Items);
    }

    [Fact]
    public async Task MergePatch_ChangesOnlyTheGivenFields()
    {
        await _client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new() { Name = "n", Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } } }).Within();

        var patched = await _client.CoreV1.PatchNodeAsync(new V1Patch("{\"metadata\":{\"labels\":{\"a\":null,\"c\":\"3\"}}}", V1Patch.PatchType.MergePatch), "n").Within();

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task Watch_StreamsChangesInOrderWithBookmarks()
    {
        _server.BookmarkInterval = TimeSpan.FromMilliseconds(50);
        var list = await _client.CoreV1.ListNamespacedPodAsync("ns").Within();
        using var cancel = new CancellationTokenSource(Timeouts.Default);
        var events = new List<(WatchEventType Type, string? Name)>();
        var open = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            var stream = _client.CoreV1.WatchListNamespacedPodAsync("ns", resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, cancellationToken: cancel.Token);
            await foreach (var (type, pod) in stream)
            {
                events.Add((type, type == WatchEventType.Bookmark ? null : pod.Metadata.Name));
                open.TrySetResult();
                if (type == WatchEventType.Bookmark && events.Any(e => e.Type == WatchEventType.Deleted))
                {
                    return;
                }
            }
        });

        await open.Task.Within();
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "web"), "ns").Within();
        await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"1\"}}}", V1Patch.PatchType.MergePatch), "p", "ns").Within();
        await _client.CoreV1.DeleteNamespacedPodAsync("p", "ns").Within();
        await watching.Within();

        Assert.Equal(
            [(WatchEventType.Added, "p"), (WatchEventType.Modified, "p"), (WatchEventType.Deleted, "p")],
            events.Where(e => e.Type != WatchEventType.Bookmark));
        Assert.Equal(WatchEventType.Bookmark, events[^1].Type);
    }

    [Fact]
    public async Task WatchFromCompactedVersion_ReportsGone()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "web"), "ns").Within();
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("q", "web"), "ns").Within();
        _server.Store.Compact();
        Exception? error = null;
        using var cancel = new CancellationTokenSource(Timeouts.Default);

        var stream = _client.CoreV1.WatchListNamespacedPodAsync("ns", resourceVersion: "1", onError: e => error = e, cancellationToken: cancel.Token);
        await foreach (var _ in stream.WithCancellation(cancel.Token))
        {
        }

        Assert.Equal(410, Assert.IsType<KubernetesException>(error).Status.Code);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task InjectedFault_FailsTheNextMatchingRequestOnly(int code)
    {
        _server.Faults.FailNext(1, code, r => r.Verb == "create");

        var failed = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "web"), "ns").Within());
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "web"), "ns").Within();

        Assert.Equal(code, (int)failed.Response.StatusCode);
        Assert.Equal(2, _server.RequestCounts["create Pod"]);
    }

    [Fact]
    public async Task DroppedWatch_EndsTheStream()
    {
        using var cancel = new CancellationTokenSource(Timeouts.Default);
        var started = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in _client.CoreV1.WatchListNamespacedPodAsync("ns", cancellationToken: cancel.Token))
                {
                    started.TrySetResult();
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
            }
        });
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", "web"), "ns").Within();
        await started.Task.Within();

        _server.Faults.DropWatches();

        await watching.Within();
        Assert.False(cancel.IsCancellationRequested);
    }

    private static V1Pod Pod(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] },
    };
}
