namespace MigInfer.Operator.Rendering;

/// <summary>
/// The labels of every object rendered for an InferenceService: the recommended <c>app.kubernetes.io</c> set, with
/// <c>managed-by</c> the operator's informers select on, and the service's own label.
/// </summary>
internal static class OwnedLabels
{
    public static Dictionary<string, string> For(string service, string component) => new()
    {
        [WellKnown.Name] = "miginfer-server",
        [WellKnown.Instance] = service,
        [WellKnown.Component] = component,
        [WellKnown.PartOf] = "miginfer",
        [WellKnown.ManagedBy] = WellKnown.ManagedByValue,
        [WellKnown.ServiceLabel] = service,
    };
}
