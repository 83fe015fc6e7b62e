using System.Globalization;
using k8s.Models;
using MigInfer.Operator.Kube;
using MigInfer.Operator.Planning;
using MigInfer.Operator.Rendering;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Reconcilers;

/// <summary>
/// Builds an InferenceService's status from the world (its old status only for conditions' transition times and,
/// through the caller, the observed profile's hysteresis): the spec problem if any, the leader's plan, which nodes
/// run it, the slice pods and their servers' reports. Conditions: PartitionPlanned,
/// PartitionApplied, PredictorReady, and Ready, which aggregates them.
/// </summary>
internal static class ServiceStatusBuilder
{
    /// <summary>The status; <paramref name="observedProfile"/> goes in as given (<see cref="Probing.ObservedProfiles.Stabilize"/> decides it).</summary>
    public static InferenceServiceStatus Build(InferenceService service, string? specProblem, PlanSnapshot snapshot, IReadOnlyList<V1Pod> pods, string clusterDomain, DateTimeOffset now,
        List<ObservedPointStatus>? observedProfile = null)
    {
        var name = ServiceDemands.NameOf(service);
        var previous = service.Status?.Conditions;
        var generation = service.Metadata.Generation;
        var host = $"{Names.ClientService(service.Metadata.Name)}.{service.Metadata.NamespaceProperty}.svc.{clusterDomain}";
        var podsByName = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var plan = snapshot.Plan;
        var slices = (plan?.Gpus ?? []).SelectMany(g => g.Slices.Where(s => s.Service == name).Select(s => (Gpu: g, Slice: s)))
            .Select(x =>
            {
                var pod = Names.SlicePod(service.Metadata.Name, x.Gpu.Node, x.Gpu.Index, x.Slice.Start);
                return new SliceStatus
                {
                    Profile = x.Slice.Profile,
                    Node = x.Gpu.Node,
                    Gpu = x.Gpu.Index,
                    Start = x.Slice.Start,
                    Pod = podsByName.ContainsKey(pod) ? pod : null,
                    Ready = podsByName.TryGetValue(pod, out var p) && IsReady(p),
                };
            }).ToList();
        var servicePlan = plan?.Services.FirstOrDefault(s => s.Service == name);
        var unmet = plan?.Unmet.FirstOrDefault(u => u.Service == name);

        var planned = specProblem is not null ? (Conditions.False, "InvalidSpec", specProblem)
            : plan is null ? (Conditions.Unknown, "AwaitingPlan", "no plan yet; the MigPlan named default must exist and the leader must have planned")
            : snapshot.Generations.GetValueOrDefault(name) != (generation ?? 0) ? (Conditions.Unknown, "Replanning", $"the current plan was made before generation {generation}")
            : unmet is { IsSpecProblem: true } ? (Conditions.False, unmet.Reason.ToString(), Field(unmet.Field, unmet.Message))
            : unmet is not null ? (Conditions.False, "InsufficientCapacity", $"{unmet.Message} ({unmet.ShortfallRps:0.#} rps unserved)")
            : slices.Count == 0 ? (Conditions.False, "NoSlices", "the plan gives this service no slice")
            : (Conditions.True, "Planned", $"{slices.Count} slices: {Summary(slices)}");
        var pending = slices.Where(s => !snapshot.ConvergedNodes.Contains(s.Node!)).Select(s => s.Node!).Distinct().Order(StringComparer.Ordinal).ToList();
        var applied = slices.Count == 0 ? (Conditions.False, "NotPlanned", "no slice is planned")
            : pending.Count > 0 ? (Conditions.False, "RolloutInProgress", $"waiting for the MIG layout on {string.Join(", ", pending)}")
            : (Conditions.True, "Applied", "every slice's GPU runs the planned layout");
        var ready = slices.Count(s => s.Ready == true);
        var trouble = slices.Where(s => s.Ready != true && s.Pod is not null)
            .Select(s => PodTrouble.Of(podsByName[s.Pod!]) is { } why ? $"; pod {s.Pod}: {why}" : null)
            .FirstOrDefault(t => t is not null);
        var predictor = slices.Count == 0 ? (Conditions.False, "NoSlices", "no slice is planned")
            : ready < slices.Count ? (Conditions.False, "SlicesNotReady", $"{ready} of {slices.Count} slices ready{trouble}")
            : (Conditions.True, "SlicesReady", $"{ready} of {slices.Count} slices ready");
        var blocking = new[] { planned, applied, predictor }.FirstOrDefault(c => c.Item1 != Conditions.True);
        var overall = specProblem is not null ? (Conditions.False, "InvalidSpec", specProblem)
            : blocking.Item1 is null ? (Conditions.True, "Ready", $"serving on {slices.Count} slices")
            : blocking;

        return new InferenceServiceStatus
        {
            ObservedGeneration = generation,
            Conditions =
            [
                Conditions.Make(previous, "Ready", overall.Item1, overall.Item2, overall.Item3, generation, now),
                Conditions.Make(previous, "PartitionPlanned", planned.Item1, planned.Item2, planned.Item3, generation, now),
                Conditions.Make(previous, "PartitionApplied", applied.Item1, applied.Item2, applied.Item3, generation, now),
                Conditions.Make(previous, "PredictorReady", predictor.Item1, predictor.Item2, predictor.Item3, generation, now),
            ],
            Url = $"http://{host}:{SlicePodRenderer.HttpPort.ToString(CultureInfo.InvariantCulture)}",
            RestUrl = $"http://{host}:{SlicePodRenderer.HttpPort.ToString(CultureInfo.InvariantCulture)}/v2",
            GrpcUrl = $"{host}:{SlicePodRenderer.GrpcPort.ToString(CultureInfo.InvariantCulture)}",
            Slices = slices.Count > 0 ? slices : null,
            SlicesSummary = slices.Count > 0 ? Summary(slices) : null,
            PlannedCapacityRps = servicePlan?.CapacityRps,
            PredictedLatencyMs = servicePlan?.PredictedLatencyMs,
            LatencyEstimated = servicePlan?.LatencyEstimated,
            ObservedProfile = observedProfile,
        };
    }

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == Conditions.True) == true;

    /// <summary>Slices per profile, largest first: <c>3g×1 2g×1 1g×2</c>.</summary>
    private static string Summary(List<SliceStatus> slices) =>
        string.Join(' ', slices.GroupBy(s => s.Profile!.Split('.')[0]).OrderByDescending(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"));

    private static string Field(string? field, string message) => field is null || message.Contains(field, StringComparison.Ordinal) ? message : $"{field}: {message}";
}
