using System.Collections.Immutable;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Planning;

/// <summary>
/// The leader's current plan, the generation of every service it was made for, and which nodes already run it,
/// shared by the reconcilers: the MigPlan reconciler replaces it whole after each pass; the InferenceService
/// reconciler reads it to build status (a service whose generation the plan has not seen is not yet planned).
/// </summary>
internal sealed record PlanSnapshot(MigPlanResult? Plan, ImmutableDictionary<string, long> Generations, ImmutableHashSet<string> ConvergedNodes)
{
    public static PlanSnapshot Empty { get; } = new(null, ImmutableDictionary<string, long>.Empty, ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal));

    /// <summary>Whether the other snapshot says the same to a service's status.</summary>
    public bool SameAs(PlanSnapshot other) =>
        ReferenceEquals(Plan, other.Plan) && ConvergedNodes.SetEquals(other.ConvergedNodes)
        && Generations.Count == other.Generations.Count && Generations.All(g => other.Generations.TryGetValue(g.Key, out var v) && v == g.Value);
}
