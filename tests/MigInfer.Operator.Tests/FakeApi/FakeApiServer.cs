using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>
/// An in-process Kubernetes API server on Kestrel (127.0.0.1, a free port) that the real
/// KubernetesClient talks to over HTTP: CRUD, list with label selectors, resourceVersion with 409 on
/// stale updates, the status subresource, watch streams (one JSON object per line, flushed) with
/// bookmarks, 410 Gone for compacted versions, and injectable faults. Generic over kinds: it stores
/// JSON, so one server serves every kind in <see cref="KindInfo.Defaults"/>.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new();

    private FakeApiServer(WebApplication app, ResourceStore store)
    {
        _app = app;
        Store = store;
    }

    public ResourceStore Store { get; }

    public FaultInjector Faults { get; } = new();

    /// <summary>How often an idle watch that asked for bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A watch from a compacted version is answered with HTTP 410 and a Status, as the API server does when the storage
    /// refuses the watch before it starts, instead of the 200 stream with one ERROR event its watch cache sends.
    /// </summary>
    public bool GoneBeforeTheStream { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests served so far, by <c>verb kind</c> (e.g. <c>create Pod</c>).</summary>
    public IReadOnlyDictionary<string, int> RequestCounts => _requests;

    public int TotalRequests => _requests.Values.Sum();

    public static async Task<FakeApiServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeApiServer(app, new ResourceStore(time ?? TimeProvider.System));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>A real KubernetesClient pointed at this server.</summary>
    /// <summary>
    /// A client whose REST calls (not watches) give up after 10 s instead of the library's 100 s, so a request
    /// the fake never answers fails the reconcile that made it (a retry, and a warning in the test log) instead
    /// of wedging a controller past the test's deadline. Once in CI a rollout stopped after a pod delete with
    /// nothing logged for 45 s, which such a request would explain.
    /// </summary>
    public Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = BaseAddress.ToString(), HttpClientTimeout = TimeSpan.FromSeconds(10) });

    public async ValueTask DisposeAsync()
    {
        Faults.DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Faults.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var watch = query["watch"] is var w && (w == "true" || w == "1");
        var request = ApiRequest.Parse(context.Request.Method, context.Request.Path.Value ?? "", watch);
        if (request is null)
        {
            await WriteAsync(context, 404, new ApiError(404, "NotFound", $"the server could not find the requested resource {context.Request.Path}").ToStatus());
            return;
        }

        _requests.AddOrUpdate($"{request.Verb} {request.Kind.Kind}", 1, (_, n) => n + 1);
        try
        {
            if (Faults.TakeFailure(request) is { } code)
            {
                context.Response.Headers.RetryAfter = "0";
                throw new ApiError(code, code == 429 ? "TooManyRequests" : "InternalError", $"injected fault {code}");
            }

            if (!request.Watch && Faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(Faults.Latency, context.RequestAborted);
            }

            if (request.Watch)
            {
                await WatchAsync(context, request);
                return;
            }

            var (status, body) = await ServeAsync(context, request);
            await WriteAsync(context, status, body);
        }
        catch (ApiError e)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
        {
            await WriteAsync(context, 500, new ApiError(500, "InternalError", $"fake API server bug: {e}").ToStatus());
        }
    }

    private async Task<(int Status, JsonObject Body)> ServeAsync(HttpContext context, ApiRequest r)
    {
        var ns = r.Namespace ?? "";
        var statusOnly = r.Subresource == "status";
        switch (r.Method)
        {
            case "GET" when r.Name is null:
                var (items, version) = Store.List(r.Kind, r.Namespace, LabelSelector.Parse(context.Request.Query["labelSelector"]));
                return (200, new JsonObject
                {
                    ["kind"] = r.Kind.Kind + "List",
                    ["apiVersion"] = r.Kind.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
                    ["items"] = new JsonArray([.. items]),
                });
            case "GET":
                return (200, Store.Get(r.Kind, ns, r.Name));
            case "POST":
                return (201, Store.Create(r.Kind, ns, await ReadAsync(context)));
            case "PUT" when r.Name is not null:
                return (200, Store.Replace(r.Kind, ns, r.Name, await ReadAsync(context), statusOnly));
            case "PATCH" when r.Name is not null:
                var patch = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var jsonPatch = context.Request.ContentType?.StartsWith("application/json-patch", StringComparison.Ordinal) == true;
                return (200, Store.Patch(r.Kind, ns, r.Name, current => jsonPatch
                    ? (JsonObject)JsonPatching.Apply(current, (JsonArray)patch!)
                    : (JsonObject)JsonPatching.Merge(current, patch)!, statusOnly));
            case "DELETE" when r.Name is not null:
                return (200, Store.Delete(r.Kind, ns, r.Name));
            default:
                throw new ApiError(405, "MethodNotAllowed", $"{r.Method} is not supported on {context.Request.Path}");
        }
    }

    private async Task WatchAsync(HttpContext context, ApiRequest r)
    {
        var query = context.Request.Query;
        var selector = LabelSelector.Parse(query["labelSelector"]);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        var (channel, current) = Store.Subscribe();
        try
        {
            var from = query["resourceVersion"].ToString();
            List<StoredEvent> backlog;
            if (string.IsNullOrEmpty(from) || from == "0")
            {
                backlog = [.. Store.List(r.Kind, r.Namespace, selector).Items.Select(o => new StoredEvent(current, r.Kind, "ADDED", o))];
            }
            else
            {
                backlog = Store.Since(long.Parse(from, CultureInfo.InvariantCulture)).Where(e => e.ResourceVersion <= current).ToList();
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Faults.WatchLifetime);
            lifetime.CancelAfter(timeout);
            var seen = current;
            foreach (var e in backlog.Where(e => Matches(e, r, selector) && !Faults.Hidden(e)))
            {
                await WriteEventAsync(context, e.Type, e.Object, lifetime.Token);
            }

            while (!lifetime.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
                tick.CancelAfter(BookmarkInterval);
                try
                {
                    var e = await channel.Reader.ReadAsync(tick.Token);
                    seen = e.ResourceVersion;
                    if (Matches(e, r, selector) && !Faults.Hidden(e))
                    {
                        await WriteEventAsync(context, e.Type, e.Object, lifetime.Token);
                    }
                }
                catch (OperationCanceledException) when (!lifetime.IsCancellationRequested && bookmarks)
                {
                    var mark = new JsonObject
                    {
                        ["kind"] = r.Kind.Kind,
                        ["apiVersion"] = r.Kind.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = seen.ToString(CultureInfo.InvariantCulture) },
                    };
                    await WriteEventAsync(context, "BOOKMARK", mark, lifetime.Token);
                }
                catch (OperationCanceledException) when (!lifetime.IsCancellationRequested)
                {
                }
            }

            if (Faults.WatchLifetime.IsCancellationRequested)
            {
                context.Abort();
            }
        }
        catch (ApiError e) when (e.Code == 410 && GoneBeforeTheStream && !context.Response.HasStarted)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (ApiError e) when (e.Code == 410)
        {
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
            }

            await WriteEventAsync(context, "ERROR", e.ToStatus(), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
        finally
        {
            Store.Unsubscribe(channel);
        }
    }

    private static bool Matches(StoredEvent e, ApiRequest r, LabelSelector selector) =>
        e.Kind == r.Kind && (r.Namespace is null || e.Namespace == r.Namespace) && selector.Matches(e.Object);

    private static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj, CancellationToken cancel)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";
        await context.Response.WriteAsync(line, cancel);
        await context.Response.Body.FlushAsync(cancel);
    }

    private static async Task<JsonObject> ReadAsync(HttpContext context) =>
        await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
        ?? throw new ApiError(400, "BadRequest", "the body must be a JSON object");

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(JsonOptions), context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new();
}
