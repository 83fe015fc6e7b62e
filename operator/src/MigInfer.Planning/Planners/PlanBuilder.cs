using System.Collections.Immutable;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>
/// Turns concrete GPU assignments into a plan: evaluates every service's slices with the capacity
/// model, reports what is unmet and by how much, and diffs against the current state.
/// </summary>
internal static class PlanBuilder
{
    public static MigPlanResult Build(PlanningIndex index, IReadOnlyList<PlannedGpu> gpus, string planner, string status) =>
        new()
        {
            Planner = planner,
            Gpus = [.. gpus],
            Services = [.. Enumerable.Range(0, index.Services.Length).Select(s => Evaluate(index, gpus, s))],
            Unmet = [.. Unmet(index, gpus)],
            Diff = PlanDiff.Between(index.CurrentPlan(), gpus),
            Status = status,
        };

    private static ServicePlan Evaluate(PlanningIndex index, IReadOnlyList<PlannedGpu> gpus, int s)
    {
        var service = index.Services[s];
        var (evaluation, counts, estimated) = EvaluateSlices(index, gpus, s);
        return new ServicePlan(
            service.Name,
            counts.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            Math.Round(evaluation.CapacityRps, 1),
            service.RequestsPerSecond,
            double.IsFinite(evaluation.PredictedLatencyMs) ? Math.Round(evaluation.PredictedLatencyMs, 2) : -1,
            estimated);
    }

    private static (ServiceEvaluation Evaluation, Dictionary<string, int> Counts, bool Estimated) EvaluateSlices(PlanningIndex index, IReadOnlyList<PlannedGpu> gpus, int s)
    {
        var service = index.Services[s];
        var byOption = new Dictionary<ProfileOption, int>();
        var counts = new Dictionary<string, int>();
        foreach (var gpu in gpus)
        {
            var product = index.Products.First(p => p.Name == gpu.Product);
            foreach (var slice in gpu.Slices.Where(x => x.Service == service.Name))
            {
                counts[slice.Profile] = counts.GetValueOrDefault(slice.Profile) + 1;
                var option = index.OptionsFor(s, product).FirstOrDefault(o => o.Profile.Name == slice.Profile);
                if (option is not null)
                {
                    byOption[option] = byOption.GetValueOrDefault(option) + 1;
                }
            }
        }

        var evaluation = ServiceEvaluator.Evaluate(
            service,
            byOption.Select(kv => (kv.Key, kv.Value)).ToList(),
            index.Problem.Policy.Rho,
            c => index.ClassServable(s, c));
        var estimated = byOption.Keys.Any(o => CapacityModel.TableFor(service, o.Product)?.Source == Model.ProfileSource.Estimated);
        return (evaluation, counts, estimated);
    }

    private static IEnumerable<UnmetService> Unmet(PlanningIndex index, IReadOnlyList<PlannedGpu> gpus)
    {
        for (var s = 0; s < index.Services.Length; s++)
        {
            var service = index.Services[s];
            if (index.Unservable[s] is { } unservable)
            {
                yield return unservable;
                if (unservable.ShortfallRps >= service.RequestsPerSecond)
                {
                    continue;
                }
            }

            var servableShare = Enumerable.Range(0, service.Sizes.Length).Where(c => index.ClassServable(s, c)).Sum(c => service.Sizes[c].Weight);
            // Capacity is in requests of the whole mix per second; only the servable share is planned.
            var demand = servableShare * service.RequestsPerSecond;
            var capacity = EvaluateSlices(index, gpus, s).Evaluation.CapacityRps * servableShare;
            if (demand > 0 && capacity < demand * (1 - 1e-6))
            {
                yield return new UnmetService(
                    service.Name,
                    UnmetReason.InsufficientCapacity,
                    null,
                    $"planned capacity {capacity:0.#} rps is below the {demand:0.#} rps it must serve at rho = {index.Problem.Policy.Rho}: the cluster has too few free GPUs",
                    Math.Round(demand - capacity, 1));
            }
        }
    }
}
