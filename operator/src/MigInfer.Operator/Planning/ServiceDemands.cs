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

    /// <summary>The demand, or the spec problem as a message that names the field.</summary>
    public static (ServiceDemand? Demand, string? Problem) Convert(InferenceService service, GpuCatalog catalog)
    {
        if (service.Spec is null)
        {
            return (null, "spec is missing");
        }

        var document = JsonSerializer.Deserialize<InferenceServiceSpecDocument>(KubernetesJson.Serialize(service.Spec), DocumentJson)!;
        try
        {
            return (ServiceReader.FromSpec(NameOf(service), document, catalog), null);
        }
        catch (PlanningInputException e)
        {
            var prefix = $"InferenceService {NameOf(service)}: ";
            return (null, e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message);
        }
    }
}
