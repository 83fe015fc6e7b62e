namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>A kind the fake API server serves: where it lives in the URL space and whether it has a status subresource.</summary>
internal sealed record KindInfo(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatus)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Key => $"{Group}/{Plural}";

    /// <summary>The kinds the operator uses, each stored as plain JSON.</summary>
    public static IReadOnlyList<KindInfo> Defaults { get; } =
    [
        new("", "v1", "pods", "Pod", Namespaced: true, HasStatus: true),
        new("", "v1", "nodes", "Node", Namespaced: false, HasStatus: true),
        new("", "v1", "services", "Service", Namespaced: true, HasStatus: true),
        new("", "v1", "configmaps", "ConfigMap", Namespaced: true, HasStatus: false),
        new("", "v1", "events", "Event", Namespaced: true, HasStatus: false),
        new("events.k8s.io", "v1", "events", "Event", Namespaced: true, HasStatus: false),
        new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true, HasStatus: false),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", Namespaced: true, HasStatus: true),
        new("miginfer.io", "v1alpha1", "inferenceservices", "InferenceService", Namespaced: true, HasStatus: true),
        new("miginfer.io", "v1alpha1", "migplans", "MigPlan", Namespaced: false, HasStatus: true),
    ];
}
