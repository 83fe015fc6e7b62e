using k8s;
using k8s.Models;

namespace MigInfer.Operator.Kube;

/// <summary>The calls the operator makes for one kind, whatever its API group: list, watch and writes.</summary>
internal interface IResourceApi<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    string Kind { get; }

    Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancel);

    /// <summary>Watches from <paramref name="resourceVersion"/> with bookmarks; errors in the stream (410 Gone) go to <paramref name="onError"/>.</summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError, CancellationToken cancel);

    Task<T> CreateAsync(T obj, CancellationToken cancel);

    Task<T> ReplaceAsync(T obj, CancellationToken cancel);

    Task<T> ReplaceStatusAsync(T obj, CancellationToken cancel);

    Task<T> PatchAsync(string? ns, string name, V1Patch patch, CancellationToken cancel);

    Task DeleteAsync(string? ns, string name, CancellationToken cancel);
}
