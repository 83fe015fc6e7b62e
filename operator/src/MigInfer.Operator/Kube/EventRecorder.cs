using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace MigInfer.Operator.Kube;

/// <summary>
/// Records Kubernetes Events (CamelCase reasons; Warning for what a user must act on). The same
/// event for the same object is sent once per interval, so a retry loop cannot flood the API server.
/// </summary>
internal sealed class EventRecorder(IKubernetes client, string component, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);

    public async Task RecordAsync(V1ObjectReference target, string type, string reason, string message, CancellationToken cancel)
    {
        var now = time.GetUtcNow();
        var key = $"{target.Kind}/{target.NamespaceProperty}/{target.Name}/{reason}/{message}";
        if (_sent.TryGetValue(key, out var last) && now - last < Interval)
        {
            return;
        }

        _sent[key] = now;
        var ns = string.IsNullOrEmpty(target.NamespaceProperty) ? "default" : target.NamespaceProperty;
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = $"{target.Name}.", NamespaceProperty = ns },
            InvolvedObject = target,
            Type = type,
            Reason = reason,
            Message = message.Length > 1000 ? message[..1000] : message,
            Source = new V1EventSource { Component = component },
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
            ReportingComponent = component,
        }, ns, cancellationToken: cancel);
    }

    public static V1ObjectReference Reference<T>(T obj) where T : IKubernetesObject<V1ObjectMeta> => new()
    {
        ApiVersion = obj.ApiVersion,
        Kind = obj.Kind,
        Name = obj.Metadata.Name,
        NamespaceProperty = obj.Metadata.NamespaceProperty,
        Uid = obj.Metadata.Uid,
    };
}
