using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Observability;

namespace MigInfer.Operator.Controllers;

/// <summary>
/// Keeps an <see cref="ObjectCache{T}"/> of one kind current: list, then watch from the list's
/// resourceVersion (advanced by every event and bookmark), resume after the server closes the watch,
/// list again on 410 Gone (an ERROR event in the stream, or the watch request's own status) and every
/// resync period, and back off with jitter on any other error, expected or not: an informer that
/// stopped would leave its kind's cache stale for the life of the process.
/// Handlers get
/// (old, new): (null, x) added, (x, y) changed or resynced, (x, null) deleted.
/// </summary>
internal sealed class Informer<T>(IResourceApi<T> api, InformerOptions options, OperatorMetrics metrics, TimeProvider time, ILogger logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<Action<T?, T?>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random _random = new();

    public ObjectCache<T> Cache { get; } = new();

    public string Kind => api.Kind;

    /// <summary>Completes after the first full list.</summary>
    public Task Synced => _synced.Task;

    public void OnChange(Action<T?, T?> handler) => _handlers.Add(handler);

    public async Task RunAsync(CancellationToken cancel)
    {
        string? version = null;
        var failures = 0;
        var nextResync = time.GetUtcNow();
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                if (version is null || time.GetUtcNow() >= nextResync)
                {
                    version = await ListAsync(cancel);
                    nextResync = time.GetUtcNow() + options.ResyncPeriod;
                }

                var (last, gone) = await WatchAsync(version, nextResync, cancel);
                version = gone ? null : last;
                metrics.WatchRestarts.WithLabels(Kind, gone ? "gone" : "closed").Inc();
                failures = 0;
            }
            catch (Exception e) when (!cancel.IsCancellationRequested && IsGone(e))
            {
                // The watch was refused before its stream began (HTTP 410 rather than an ERROR event): list again.
                version = null;
                metrics.WatchRestarts.WithLabels(Kind, "gone").Inc();
            }
            catch (Exception e) when (!cancel.IsCancellationRequested)
            {
                metrics.WatchRestarts.WithLabels(Kind, "error").Inc();
                var delay = options.ErrorBackoff.Delay(failures++, _random);
                logger.WatchFailed(Kind, delay.TotalMilliseconds, $"{e.GetType().Name}: {e.Message}");
                await Task.Delay(delay, time, cancel).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static bool IsGone(Exception e) =>
        e is HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } or KubernetesException { Status.Code: (int)HttpStatusCode.Gone };

    private async Task<string> ListAsync(CancellationToken cancel)
    {
        var (items, version) = await api.ListAsync(cancel);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(ObjectCache<T>.KeyOf(item));
            Notify(Cache.Set(item), item);
        }

        foreach (var key in Cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            Notify(Cache.Remove(key), null);
        }

        _synced.TrySetResult();
        return version;
    }

    private async Task<(string Version, bool Gone)> WatchAsync(string version, DateTimeOffset until, CancellationToken cancel)
    {
        var gone = false;
        Exception? streamError = null;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var remaining = until - time.GetUtcNow();
        watch.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        var timeout = options.WatchTimeout * (1 + _random.NextDouble());
        try
        {
            var stream = api.WatchAsync(version, timeout, e =>
            {
                gone = e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone };
                streamError = e;
                watch.Cancel();
            }, watch.Token);
            await foreach (var (type, obj) in stream.WithCancellation(watch.Token))
            {
                version = obj.Metadata?.ResourceVersion ?? version;
                Apply(type, obj);
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
        }

        if (streamError is not null && !gone)
        {
            throw new IOException($"{Kind} watch reported an error: {streamError.Message}", streamError);
        }

        return (version, gone);
    }

    private void Apply(WatchEventType type, T obj)
    {
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                Notify(Cache.Set(obj), obj);
                break;
            case WatchEventType.Deleted:
                Notify(Cache.Remove(ObjectCache<T>.KeyOf(obj)) ?? obj, null);
                break;
        }
    }

    private void Notify(T? old, T? current)
    {
        foreach (var handler in _handlers)
        {
            handler(old, current);
        }
    }
}
