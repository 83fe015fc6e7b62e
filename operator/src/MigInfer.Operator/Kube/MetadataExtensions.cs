using k8s.Models;

namespace MigInfer.Operator.Kube;

/// <summary>Null-safe reads of labels and annotations.</summary>
internal static class MetadataExtensions
{
    public static string? Label(this V1ObjectMeta meta, string key) =>
        meta.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public static string? Annotation(this V1ObjectMeta meta, string key) =>
        meta.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
}
