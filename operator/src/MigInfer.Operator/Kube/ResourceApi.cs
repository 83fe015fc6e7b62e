using k8s;
using k8s.Models;

namespace MigInfer.Operator.Kube;

/// <summary>An <see cref="IResourceApi{T}"/> made of the KubernetesClient calls for one kind.</summary>
internal sealed class ResourceApi<T> : IResourceApi<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    public required string Kind { get; init; }

    public required Func<CancellationToken, Task<(IReadOnlyList<T>, string)>> List { get; init; }

    public required Func<string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> Watch { get; init; }

    public required Func<T, CancellationToken, Task<T>> Create { get; init; }

    public required Func<T, CancellationToken, Task<T>> Replace { get; init; }

    public Func<T, CancellationToken, Task<T>>? ReplaceStatus { get; init; }

    public required Func<string?, string, V1Patch, CancellationToken, Task<T>> Patch { get; init; }

    public required Func<string?, string, CancellationToken, Task> Delete { get; init; }

    public Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancel) => List(cancel);

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError, CancellationToken cancel) =>
        Watch(resourceVersion, (int)Math.Max(1, timeout.TotalSeconds), onError, cancel);

    public Task<T> CreateAsync(T obj, CancellationToken cancel) => Create(obj, cancel);

    public Task<T> ReplaceAsync(T obj, CancellationToken cancel) => Replace(obj, cancel);

    public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancel) =>
        (ReplaceStatus ?? throw new InvalidOperationException($"{Kind} has no status subresource"))(obj, cancel);

    public Task<T> PatchAsync(string? ns, string name, V1Patch patch, CancellationToken cancel) => Patch(ns, name, patch, cancel);

    public Task DeleteAsync(string? ns, string name, CancellationToken cancel) => Delete(ns, name, cancel);
}
