using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace MigInfer.Operator.Controllers;

/// <summary>The last state the watch delivered for every object of one kind, by <c>namespace/name</c> (or name).</summary>
internal sealed class ObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _objects = new(StringComparer.Ordinal);

    public int Count => _objects.Count;

    public static string KeyOf(T obj) => KeyOf(obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public T? Get(string key) => _objects.GetValueOrDefault(key);

    public IReadOnlyList<T> List() => [.. _objects.Values];

    internal T? Set(T obj)
    {
        T? old = null;
        _objects.AddOrUpdate(KeyOf(obj), obj, (_, previous) =>
        {
            old = previous;
            return obj;
        });
        return old;
    }

    /// <summary>
    /// Takes the object a write returned, unless the cache already holds a newer version, so the next
    /// pass does not act on what it just changed. The watch delivers the same version later.
    /// </summary>
    public void Observe(T obj)
    {
        _objects.AddOrUpdate(KeyOf(obj), obj, (_, previous) => Newer(obj, previous) ? obj : previous);
    }

    /// <summary>
    /// Marks an object this process just deleted as terminating, unless the watch already brought a later state (changed
    /// or gone). It stays until the watch reports it gone, or a relist no longer lists it: dropping it at once would show
    /// a pod whose containers still run through their grace period as gone, and a relist could not report its deletion.
    /// </summary>
    public void MarkDeleting(T obj, DateTimeOffset at)
    {
        var key = KeyOf(obj);
        if (!_objects.TryGetValue(key, out var current) || current.Metadata.ResourceVersion != obj.Metadata.ResourceVersion || current.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var marked = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(current));
        marked.Metadata.DeletionTimestamp = at.UtcDateTime;
        _objects.TryUpdate(key, marked, current);
    }

    private static bool Newer(T candidate, T current) =>
        !long.TryParse(candidate.Metadata.ResourceVersion, out var a) || !long.TryParse(current.Metadata.ResourceVersion, out var b) || a >= b;

    internal T? Remove(string key) => _objects.TryRemove(key, out var old) ? old : null;

    internal IEnumerable<string> Keys => _objects.Keys;
}
