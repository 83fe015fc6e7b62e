using System.Collections.Immutable;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Planning;

/// <summary>
/// The leader's current plan and which nodes already run it, shared by the reconcilers: the MigPlan
/// reconciler replaces it whole after each pass; the InferenceService reconciler reads it to build status.
/// </summary>
internal sealed record PlanSnapshot(MigPlanResult? Plan, ImmutableHashSet<string> ConvergedNodes)
{
    public static PlanSnapshot Empty { get; } = new(null, ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal));

    /// <summary>Whether the other snapshot says the same to a service's status.</summary>
    public bool SameAs(PlanSnapshot other) => ReferenceEquals(Plan, other.Plan) && ConvergedNodes.SetEquals(other.ConvergedNodes);
}
