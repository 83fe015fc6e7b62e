using System.Collections.Concurrent;
using System.Text.Json;
using k8s.Models;
using MigInfer.Operator.Controllers;

namespace MigInfer.Operator.Probing;

/// <summary>The last <see cref="SliceReport"/> of every slice pod, in memory only, by pod key and for that pod's uid (a recreated pod starts afresh).</summary>
internal sealed class SliceReports
{
    private readonly ConcurrentDictionary<string, (string? Uid, SliceReport Report, string Json)> _reports = new(StringComparer.Ordinal);

    public SliceReport? For(V1Pod pod) =>
        _reports.TryGetValue(ObjectCache<V1Pod>.KeyOf(pod), out var entry) && entry.Uid == pod.Metadata.Uid ? entry.Report : null;

    /// <summary>Keeps the report; true when it says something the last one did not.</summary>
    public bool Put(V1Pod pod, SliceReport report)
    {
        var json = JsonSerializer.Serialize(report);
        var changed = true;
        _reports.AddOrUpdate(ObjectCache<V1Pod>.KeyOf(pod), (pod.Metadata.Uid, report, json), (_, old) =>
        {
            changed = old.Uid != pod.Metadata.Uid || old.Json != json;
            return (pod.Metadata.Uid, report, json);
        });
        return changed;
    }

    public void Forget(string podKey) => _reports.TryRemove(podKey, out _);
}
