using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>
/// The fake API server's storage: JSON objects of any kind under one resourceVersion counter, an
/// event history that watches resume from (older versions answer 410 once compacted), finalizers,
/// generation on spec changes, the status subresource, and owner-reference garbage collection.
/// </summary>
internal sealed class ResourceStore(TimeProvider time)
{
    private const int HistoryLimit = 50_000;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Ns, string Name), JsonObject> _objects = [];
    private readonly List<StoredEvent> _history = [];
    private readonly List<Channel<StoredEvent>> _subscribers = [];
    private long _version;
    private long _compactedThrough;

    public long CurrentVersion { get { lock (_lock) { return _version; } } }

    public JsonObject Get(KindInfo kind, string ns, string name)
    {
        lock (_lock)
        {
            return (JsonObject)(_objects.GetValueOrDefault((kind.Key, ns, name)) ?? throw ApiError.NotFound(kind, name)).DeepClone();
        }
    }

    public (List<JsonObject> Items, long Version) List(KindInfo kind, string? ns, LabelSelector selector)
    {
        lock (_lock)
        {
            var items = _objects.Where(kv => kv.Key.Kind == kind.Key && (ns is null || kv.Key.Ns == ns) && selector.Matches(kv.Value))
                .OrderBy(kv => kv.Key.Ns, StringComparer.Ordinal).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
                .Select(kv => (JsonObject)kv.Value.DeepClone()).ToList();
            return (items, _version);
        }
    }

    public JsonObject Create(KindInfo kind, string ns, JsonObject obj)
    {
        lock (_lock)
        {
            var meta = Meta(obj);
            var name = (string?)meta["name"];
            if (string.IsNullOrEmpty(name))
            {
                var prefix = (string?)meta["generateName"] ?? throw new ApiError(422, "Invalid", "metadata.name or metadata.generateName is required");
                name = prefix + Guid.NewGuid().ToString("N")[..5];
                meta["name"] = name;
            }

            if (_objects.ContainsKey((kind.Key, ns, name)))
            {
                throw ApiError.AlreadyExists(kind, name);
            }

            obj["apiVersion"] = kind.ApiVersion;
            obj["kind"] = kind.Kind;
            if (kind.Namespaced)
            {
                meta["namespace"] = ns;
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp();
            meta["generation"] = 1L;
            meta.Remove("deletionTimestamp");
            return Commit(kind, ns, name, obj, "ADDED");
        }
    }

    public JsonObject Replace(KindInfo kind, string ns, string name, JsonObject obj, bool statusOnly)
    {
        lock (_lock)
        {
            var stored = _objects.GetValueOrDefault((kind.Key, ns, name)) ?? throw ApiError.NotFound(kind, name);
            var expected = (string?)Meta(obj)["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != (string?)Meta(stored)["resourceVersion"])
            {
                throw ApiError.Conflict(kind, name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            return Update(kind, ns, name, stored, obj, statusOnly);
        }
    }

    public JsonObject Patch(KindInfo kind, string ns, string name, Func<JsonObject, JsonObject> patch, bool statusOnly)
    {
        lock (_lock)
        {
            var stored = _objects.GetValueOrDefault((kind.Key, ns, name)) ?? throw ApiError.NotFound(kind, name);
            var patched = patch((JsonObject)stored.DeepClone());
            return Update(kind, ns, name, stored, patched, statusOnly);
        }
    }

    public JsonObject Delete(KindInfo kind, string ns, string name)
    {
        lock (_lock)
        {
            var stored = _objects.GetValueOrDefault((kind.Key, ns, name)) ?? throw ApiError.NotFound(kind, name);
            if (Meta(stored)["finalizers"] is JsonArray { Count: > 0 })
            {
                if (Meta(stored)["deletionTimestamp"] is not null)
                {
                    return (JsonObject)stored.DeepClone();
                }

                var marked = (JsonObject)stored.DeepClone();
                Meta(marked)["deletionTimestamp"] = Timestamp();
                return Commit(kind, ns, name, marked, "MODIFIED");
            }

            return Remove(kind, ns, name, stored);
        }
    }

    /// <summary>Subscribes to every change from now on; the current version is read under the same lock, so nothing falls in between.</summary>
    public (Channel<StoredEvent> Channel, long Version) Subscribe()
    {
        lock (_lock)
        {
            var channel = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });
            _subscribers.Add(channel);
            return (channel, _version);
        }
    }

    public void Unsubscribe(Channel<StoredEvent> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
    }

    /// <summary>Events after <paramref name="version"/>, or 410 Gone when the history no longer reaches back that far.</summary>
    public List<StoredEvent> Since(long version)
    {
        lock (_lock)
        {
            if (version < _compactedThrough)
            {
                throw ApiError.Gone(version.ToString(CultureInfo.InvariantCulture));
            }

            return _history.Where(e => e.ResourceVersion > version).ToList();
        }
    }

    /// <summary>Forgets the event history, as etcd compaction does: watches from older versions get 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _compactedThrough = _version;
        }
    }

    private JsonObject Update(KindInfo kind, string ns, string name, JsonObject stored, JsonObject incoming, bool statusOnly)
    {
        var next = (JsonObject)stored.DeepClone();
        if (statusOnly)
        {
            next["status"] = incoming["status"]?.DeepClone();
        }
        else
        {
            foreach (var (key, value) in incoming.Where(kv => kv.Key is not ("metadata" or "status" or "apiVersion" or "kind")))
            {
                next[key] = value?.DeepClone();
            }

            foreach (var key in next.Select(kv => kv.Key).Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind") && !incoming.ContainsKey(k)).ToList())
            {
                next.Remove(key);
            }

            if (!kind.HasStatus)
            {
                next["status"] = incoming["status"]?.DeepClone();
            }

            var meta = Meta(next);
            var incomingMeta = Meta(incoming);
            foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
            {
                meta[field] = incomingMeta[field]?.DeepClone();
            }

            if (!JsonNode.DeepEquals(stored["spec"], next["spec"]))
            {
                meta["generation"] = ((long?)Meta(stored)["generation"] ?? 1) + 1;
            }
        }

        if (Meta(next)["deletionTimestamp"] is not null && Meta(next)["finalizers"] is not JsonArray { Count: > 0 })
        {
            return Remove(kind, ns, name, next);
        }

        if (JsonNode.DeepEquals(stored, next))
        {
            return (JsonObject)stored.DeepClone();
        }

        return Commit(kind, ns, name, next, "MODIFIED");
    }

    private JsonObject Remove(KindInfo kind, string ns, string name, JsonObject obj)
    {
        _objects.Remove((kind.Key, ns, name));
        var gone = Record(kind, obj, "DELETED");
        var uid = (string?)Meta(obj)["uid"];
        var dependents = _objects.Where(kv => Meta(kv.Value)["ownerReferences"] is JsonArray owners && owners.Any(o => (string?)o?["uid"] == uid)).ToList();
        foreach (var ((kindKey, depNs, depName), _) in dependents)
        {
            var depKind = KindInfo.Defaults.First(k => k.Key == kindKey);
            Delete(depKind, depNs, depName);
        }

        return gone;
    }

    private JsonObject Commit(KindInfo kind, string ns, string name, JsonObject obj, string type)
    {
        var committed = Record(kind, obj, type);
        _objects[(kind.Key, ns, name)] = committed;
        return (JsonObject)committed.DeepClone();
    }

    private JsonObject Record(KindInfo kind, JsonObject obj, string type)
    {
        _version++;
        Meta(obj)["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        var evt = new StoredEvent(_version, kind, type, (JsonObject)obj.DeepClone());
        _history.Add(evt);
        if (_history.Count > HistoryLimit)
        {
            _compactedThrough = _history[0].ResourceVersion;
            _history.RemoveAt(0);
        }

        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(evt);
        }

        return obj;
    }

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Meta(JsonObject obj) => obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());
}
