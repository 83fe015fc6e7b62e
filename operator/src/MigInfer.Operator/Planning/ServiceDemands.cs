using System.Text.Json;
using k8s;
using MigInfer.Operator.Resources;
using MigInfer.Planning;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;

namespace MigInfer.Operator.Planning;

/// <summary>
/// Turns an InferenceService from the API server into the planner's <see cref="ServiceDemand"/> with the
/// planner's own converter (<see cref="ServiceReader.FromSpec"/>), so the CLI and the operator read a spec the same way.
/// </summary>
internal static class ServiceDemands
{
    private static readonly JsonSerializerOptions DocumentJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string NameOf(InferenceService service) => $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}";

    /// <summary>Observed points need this many samples before they replace the spec's (MigPlan spec.planner.useObservedProfile).</summary>
    public const long MinObservedSamples = 100;

    /// <summary>
    /// The demand, or the spec problem as a message that names the field. With <paramref name="useObservedProfile"/>
    /// the <see cref="UsableObserved"/> points replace the spec's for the same profile and batch (or add a batch size).
    /// <paramref name="profiles"/> holds the ConfigMaps spec.profile.profileRef may name (<see cref="ProfileConfigMaps"/>).
    /// </summary>
    public static (ServiceDemand? Demand, string? Problem) Convert(InferenceService service, GpuCatalog catalog, bool useObservedProfile = false, ConfigMapSet? profiles = null)
    {
        if (service.Spec is null)
        {
            return (null, "spec is missing");
        }

        var document = JsonSerializer.Deserialize<InferenceServiceSpecDocument>(KubernetesJson.Serialize(service.Spec), DocumentJson)!;
        try
        {
            var demand = ServiceReader.FromSpec(NameOf(service), document, catalog, profiles);
            return (useObservedProfile ? WithObserved(demand, service) : demand, null);
        }
        catch (PlanningInputException e)
        {
            var prefix = $"InferenceService {NameOf(service)}: ";
            return (null, e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message);
        }
    }

    /// <summary>status.observedProfile points the planner may use: enough samples and a latency.</summary>
    public static IEnumerable<ObservedPointStatus> UsableObserved(InferenceService service) =>
        (service.Status?.ObservedProfile ?? []).Where(p => p is { Profile: not null, Batch: > 0, Ms: >= 0, Samples: >= MinObservedSamples });

    /// <summary>
    /// Measured on the slices, so they belong to the latency table of one product (the spec's or the one its
    /// profileRef names); a profile the table lacks is not invented. A roofline estimate has a table for every
    /// product and the points do not say which one they ran on, so it is left alone.
    /// </summary>
    private static ServiceDemand WithObserved(ServiceDemand demand, InferenceService service)
    {
        var observed = UsableObserved(service).ToList();
        return observed.Count == 0 || service.Spec?.Profile?.Estimate is not null
            ? demand
            : demand with { Latencies = [.. demand.Latencies.Select(t => Merge(t, observed))] };
    }

    private static LatencyTable Merge(LatencyTable table, List<ObservedPointStatus> observed)
    {
        var points = table.Points.ToDictionary(p => (p.Profile, p.Batch));
        foreach (var point in observed.Where(o => table.Has(o.Profile!)))
        {
            points[(point.Profile!, point.Batch!.Value)] = new LatencyPoint(point.Profile!, point.Batch.Value, point.Ms!.Value);
        }

        return new LatencyTable(table.GpuProduct, points.Values, table.Source);
    }
}
