using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigInfer.Operator.Rollout;
using MigInfer.Operator.Tests.FakeApi;

namespace MigInfer.Operator.Tests.Cluster;

/// <summary>
/// NVIDIA's MIG manager as the operator sees it: when a node's <c>nvidia.com/mig.config</c> names a new
/// configuration it sets <c>nvidia.com/mig.config.state=pending</c>, then <c>success</c> (allocatable
/// <c>nvidia.com/mig-*</c> updated from the operator's layouts) or <c>failed</c> while failures are queued for the node,
/// or, as mig-parted's ERROR_IN_USE, while a pod (terminating or not) is still on a GPU whose layout changes.
/// </summary>
internal sealed class FakeMigManager : IAsyncDisposable
{
    private static readonly KindInfo NodeKind = KindInfo.Defaults.First(k => k.Kind == "Node");
    private static readonly KindInfo ConfigMapKind = KindInfo.Defaults.First(k => k.Kind == "ConfigMap");
    private static readonly KindInfo PodKind = KindInfo.Defaults.First(k => k.Kind == "Pod");
    private readonly ResourceStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ignored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _handled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, string>> _applied = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FakeMigManager(ResourceStore store, TimeSpan applyTime)
    {
        _store = store;
        ApplyTime = applyTime;
        var (channel, _) = store.Subscribe();
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in channel.Reader.ReadAllAsync(_stop.Token))
                {
                    if (e.Kind == NodeKind && e.Type != "DELETED")
                    {
                        React(e.Object);
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

    public TimeSpan ApplyTime { get; }

    /// <summary>Configurations applied, in order, as <c>node=config</c>.</summary>
    public ConcurrentQueue<string> Applied { get; } = new();

    /// <summary>Configurations refused because a pod was still on a GPU they change, as <c>node=config</c>.</summary>
    public ConcurrentQueue<string> InUse { get; } = new();

    /// <summary>The next <paramref name="count"/> configurations labelled on <paramref name="node"/> get no answer at all, as a hung MIG manager gives.</summary>
    public void IgnoreNext(string node, int count)
    {
        lock (_failures)
        {
            _ignored[node] = count;
        }
    }

    /// <summary>The next <paramref name="count"/> configurations applied to <paramref name="node"/> fail.</summary>
    public void FailNext(string node, int count)
    {
        lock (_failures)
        {
            _failures[node] = count;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void React(JsonObject node)
    {
        var name = (string)node["metadata"]!["name"]!;
        var labels = node["metadata"]!["labels"] as JsonObject;
        var config = (string?)labels?[WellKnown.MigConfig];
        if (config is null || (_handled.TryGetValue(name, out var last) && last == config && labels?[WellKnown.MigConfigState] is not null))
        {
            return;
        }

        _handled[name] = config;
        if (Take(_ignored, name))
        {
            return;
        }

        SetState(name, config, "pending");
        _ = Task.Run(async () =>
        {
            await Task.Delay(ApplyTime, _stop.Token);
            var layouts = Layouts(config) ?? [];
            var fail = TakeFailure(name) || Busy(name, config, layouts);
            SetState(name, config, fail ? "failed" : "success");
            if (!fail)
            {
                _applied[name] = layouts;
                Applied.Enqueue($"{name}={config}");
            }
        });
    }

    private bool TakeFailure(string node) => Take(_failures, node);

    /// <summary>Whether a pod is on a GPU whose layout <paramref name="after"/> changes from what was last applied (every GPU the first time).</summary>
    private bool Busy(string node, string config, Dictionary<string, string> after)
    {
        var before = _applied.GetValueOrDefault(node);
        var changed = after.Keys.Union(before?.Keys ?? Enumerable.Empty<string>()).Where(gpu => before?.GetValueOrDefault(gpu) != after.GetValueOrDefault(gpu)).ToHashSet(StringComparer.Ordinal);
        var busy = _store.List(PodKind, null, LabelSelector.Parse("")).Items.Any(pod =>
            pod["metadata"]?["labels"] is JsonObject labels
            && (string?)labels[WellKnown.NodeLabel] == node
            && changed.Contains((string?)labels[WellKnown.GpuLabel] ?? ""));
        if (busy)
        {
            InUse.Enqueue($"{node}={config}");
        }

        return busy;
    }

    /// <summary>The layout per GPU index of a configuration, from the operator's annotation on its ConfigMap.</summary>
    private Dictionary<string, string>? Layouts(string config) =>
        _store.List(ConfigMapKind, null, LabelSelector.Parse("")).Items
            .Select(m => (string?)m["metadata"]?["annotations"]?[WellKnown.LayoutsAnnotation]).OfType<string>()
            .Select(j => JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(j)!)
            .Select(d => d.GetValueOrDefault(config)).FirstOrDefault(d => d is not null);

    private bool Take(Dictionary<string, int> counts, string node)
    {
        lock (_failures)
        {
            if (counts.TryGetValue(node, out var left) && left > 0)
            {
                counts[node] = left - 1;
                return true;
            }

            return false;
        }
    }

    private void SetState(string node, string config, string state)
    {
        try
        {
            _store.Patch(NodeKind, "", node, current =>
            {
                var labels = (JsonObject)current["metadata"]!["labels"]!;
                if ((string?)labels[WellKnown.MigConfig] == config)
                {
                    labels[WellKnown.MigConfigState] = state;
                }

                return current;
            }, statusOnly: false);
            if (state == "success")
            {
                SetAllocatable(node, config);
            }
        }
        catch (ApiError)
        {
        }
    }

    private void SetAllocatable(string node, string config)
    {
        var counts = (Layouts(config) ?? []).Values.SelectMany(l => GpuLayout.Parse(l)).GroupBy(s => s.Profile).ToDictionary(g => "nvidia.com/mig-" + g.Key, g => g.Count());
        _store.Patch(NodeKind, "", node, current =>
        {
            var allocatable = new JsonObject();
            foreach (var (resource, count) in counts)
            {
                allocatable[resource] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            current["status"] = new JsonObject { ["allocatable"] = allocatable };
            return current;
        }, statusOnly: true);
    }
}
